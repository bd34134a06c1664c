//! The screens and widgets, a file each; a file may also hold the small components only its
//! screen uses (the game-over screen's parts, the hand summary's dialog and bar).

pub mod card_view;
pub mod clock;
pub mod composer;
pub mod connection_indicator;
pub mod finished_room;
pub mod game_over;
pub mod hand_summary;
pub mod home;
pub mod how_to_play;
pub mod link_banner;
pub mod missed_dialog;
pub mod modal;
pub mod move_list;
pub mod my_hand;
pub mod new_game_form;
pub mod opponent_status;
pub mod resume_games;
pub mod room_dialogs;
pub mod room_screen;
pub mod ruleset_line;
pub mod sound_toggle;
pub mod table;
pub mod table_cards;
pub mod waiting_room;
