//! Command line: parses arguments, runs the build, prints errors, sets the exit code.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mieruka",
    version,
    about = "Static site generator for Japanese ward self-evaluation reports (見える化)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/ into the output folder.
    Build {
        /// Site root: the folder holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder; replaced only when the build succeeds.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Absolute URL the site is published at (overrides site.toml), e.g.
        /// <https://www.city.example.jp/kusei/hyoka>/
        #[arg(long)]
        base_url: Option<String>,
        /// Fail on any warning, writing nothing (for a city's CI).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Preview the site: build it in memory, serve it on 127.0.0.1 and rebuild on each change.
    Serve {
        /// Site root: the folder holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (the next free one when it is in use; 0: any free port).
        #[arg(long, default_value_t = mieruka::serve::DEFAULT_PORT)]
        port: u16,
        /// URL the site will be published at (overrides site.toml); the preview uses its path,
        /// e.g. <https://www.city.example.jp/kusei/hyoka>/ is previewed at <http://127.0.0.1:1111/kusei/hyoka>/
        #[arg(long)]
        base_url: Option<String>,
        /// Show draft reports too.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, base_url, deny_warnings } => {
            let started = std::time::Instant::now();
            match mieruka::build(&mieruka::BuildOptions { root, out: out.clone(), base_url, deny_warnings }) {
                Ok(s) => {
                    for w in &s.warnings {
                        eprintln!("{w}");
                    }
                    let n = s.warnings.len();
                    let warned = match n {
                        0 => String::new(),
                        1 => " with 1 warning".to_string(),
                        _ => format!(" with {n} warnings"),
                    };
                    eprintln!(
                        "built {} pages ({} files, {} KB) into {} in {} ms{warned}",
                        s.pages,
                        s.files,
                        s.bytes / 1024,
                        out.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    eprintln!("{errors}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { root, port, base_url, drafts } => {
            match mieruka::serve::serve(&mieruka::serve::ServeOptions { root, port, base_url, drafts }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

// Rendering allocates many short strings on several threads; mimalloc does that markedly
// faster than glibc's allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
