//! SeaORM entities of the Casino Online database.
