//! Entry point of the web client (browser only).

#[cfg(target_arch = "wasm32")]
fn main() {
    dioxus::launch(client::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the Casino Online client runs in a browser: build it with scripts/run.sh");
    std::process::exit(2);
}
