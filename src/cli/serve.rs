//! `gazette serve`: the dev server with live reload.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Args;
use gazette::serve::{ServeOptions, serve};

/// Arguments of `gazette serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder, which holds config.toml.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Address to listen on. Only this machine can connect to 127.0.0.1;
    /// use 0.0.0.0 to let other devices on the network in.
    #[arg(long, default_value = "127.0.0.1")]
    interface: IpAddr,
    /// Port to listen on; when it is taken, the next free one is used.
    /// 0 picks any free port.
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Build links with this base URL instead of the server's own address,
    /// e.g. http://192.168.1.20:1111 to preview on a phone (with
    /// --interface 0.0.0.0).
    #[arg(long)]
    base_url: Option<String>,
    /// Include drafts and pages dated in the future.
    #[arg(long)]
    drafts: bool,
}

impl ServeArgs {
    /// Serves until Ctrl+C.
    pub fn run(self) -> anyhow::Result<()> {
        let options = ServeOptions {
            root: self.root,
            interface: self.interface,
            port: self.port,
            find_free_port: true,
            include_drafts: self.drafts,
            open_browser: self.open,
            base_url: self.base_url,
        };
        serve(options, |_| {})?;
        Ok(())
    }
}
