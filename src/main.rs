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
    /// Make a new site in DIR (empty or missing): site.toml, content/index.md, .gitignore.
    Init {
        /// The new site's folder; must be empty or not exist.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Make new content for the clerk to fill in.
    New {
        #[command(subcommand)]
        what: New,
    },
}

#[derive(Subcommand)]
enum New {
    /// A ward's report of a new fiscal year, as a draft: from its latest report (the plan
    /// carried over, this year's results 「未記入」, previous = the latest values), or a skeleton.
    Report {
        /// <city>/<ward>/<fiscal-year>, e.g. osaka/kita/平成29年度 (or H29, 2017, 令和元年度, R2).
        target: String,
        /// Site root: the folder holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
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
        Command::Init { dir } => report(mieruka::scaffold::init(&dir)),
        Command::New { what: New::Report { target, root } } => report(mieruka::scaffold::new_report(&root, &target)),
    }
}

/// Prints what a scaffolding command wrote, or why it wrote nothing.
fn report<T: std::fmt::Display>(result: Result<T, mieruka::scaffold::ScaffoldError>) -> ExitCode {
    match result {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

// Rendering allocates many short strings on several threads; mimalloc does that markedly
// faster than glibc's allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
