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

/// Where the site is and how to build it: shared by `build` and `check`.
#[derive(clap::Args)]
struct SiteArgs {
    /// Site root: the folder holding site.toml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Absolute URL the site is published at (overrides site.toml), e.g.
    /// `https://www.city.example.jp/kusei/hyoka/`
    #[arg(long)]
    base_url: Option<String>,
    /// Fail on any warning, writing nothing (for a city's CI).
    #[arg(long)]
    deny_warnings: bool,
    /// Include reports marked `draft = true` (each page with a 下書き banner).
    #[arg(long)]
    drafts: bool,
}

impl SiteArgs {
    fn options(self, out: PathBuf) -> mieruka::BuildOptions {
        let SiteArgs { root, base_url, deny_warnings, drafts } = self;
        mieruka::BuildOptions { root, out, base_url, deny_warnings, drafts }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/ into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder; replaced only when the build succeeds.
        #[arg(long, default_value = "public")]
        out: PathBuf,
    },
    /// Run every step of a build but the write: errors, warnings, and what would be published.
    Check {
        #[command(flatten)]
        site: SiteArgs,
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
    /// Preview the site: build it in memory, serve it on 127.0.0.1 and rebuild on each change.
    Serve {
        /// Site root: the folder holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (the next free one when it is in use; 0: any free port).
        #[arg(long, default_value_t = mieruka::serve::DEFAULT_PORT)]
        port: u16,
        /// URL the site will be published at (overrides site.toml); the preview uses its path,
        /// e.g. `https://www.city.example.jp/kusei/hyoka/` is previewed at `http://127.0.0.1:1111/kusei/hyoka/`
        #[arg(long)]
        base_url: Option<String>,
        /// Show draft reports too, each page with a 下書き banner.
        #[arg(long)]
        drafts: bool,
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
    return_freed_memory_sooner();
    let cli = Cli::parse();
    let started = std::time::Instant::now();
    let result = match cli.command {
        Command::Build { site, out } => mieruka::build(&site.options(out.clone())).map(|s| {
            report(&s.rendered);
            eprintln!(
                "built {} pages ({} files, {} KB{}{}) into {} in {} ms{}",
                s.pages,
                s.files,
                s.bytes / 1024,
                kept(&s.rendered),
                match s.linked {
                    0 => String::new(),
                    n => format!("; {n} files unchanged, linked from the cache"),
                },
                out.display(),
                started.elapsed().as_millis(),
                warned(&s.rendered)
            );
        }),
        Command::Check { site } => mieruka::check(&site.options(PathBuf::new())).map(|r| {
            report(&r);
            let reports = match r.reports {
                1 => "1 report".to_string(),
                n => format!("{n} reports"),
            };
            eprintln!(
                "checked in {} ms: would publish {reports} in {} pages{}",
                started.elapsed().as_millis(),
                r.pages,
                warned(&r)
            );
        }),
        Command::Serve { root, port, base_url, drafts } => {
            return match mieruka::serve::serve(&mieruka::serve::ServeOptions { root, port, base_url, drafts }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Init { dir } => return scaffolded(mieruka::scaffold::init(&dir)),
        Command::New { what: New::Report { target, root } } => {
            return scaffolded(mieruka::scaffold::new_report(&root, &target));
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

/// Prints what a scaffolding command wrote, or why it wrote nothing.
fn scaffolded<T: std::fmt::Display>(result: Result<T, mieruka::scaffold::ScaffoldError>) -> ExitCode {
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

/// Prints the warnings and the drafts left out (both before the summary line).
fn report(r: &mieruka::Rendered) {
    for w in &r.warnings {
        eprintln!("{w}");
    }
    for d in &r.drafts_left_out {
        eprintln!("note: {} is a draft (draft = true) and is not published; --drafts shows it", d.display());
    }
}

/// 「; 29 preview images, 26 from the cache; data files of 90 series and reports, 87 from the
/// cache; 310 pages from the cache」 for the summary line (each part only when there is something to count).
fn kept(r: &mieruka::Rendered) -> String {
    let stats = r.images;
    let mut line = match stats.drawn + stats.cached {
        0 => String::new(),
        n => format!("; {n} preview images, {} from the cache", stats.cached),
    };
    let (made, taken) = r.data_files;
    if made + taken > 0 {
        line.push_str(&format!("; data files of {} series and reports, {taken} from the cache", made + taken));
    }
    if r.kept_pages.taken > 0 {
        line.push_str(&format!("; {} pages from the cache", r.kept_pages.taken));
    }
    line
}

/// 「 with 2 warnings」 for the summary line.
fn warned(r: &mieruka::Rendered) -> String {
    match r.warnings.len() {
        0 => String::new(),
        1 => " with 1 warning".to_string(),
        n => format!(" with {n} warnings"),
    }
}

// Rendering allocates many short strings on several threads; mimalloc does that markedly
// faster than glibc's allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h` (libmimalloc-sys does not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc v3 keeps freed memory for a second before giving it back to the system; a build
/// frees most of what it allocates within milliseconds (each page once written), so that second
/// made a warm medium build's peak memory half as large again. 10 ms (mimalloc v2's default)
/// costs no measurable time (docs/benchmarks.md, "Freed memory given back sooner").
/// `MIMALLOC_PURGE_DELAY`, when set, still decides.
fn return_freed_memory_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option of the allocator, before any other thread starts
        // (mimalloc's option setters are not meant to race with each other).
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 10);
        }
    }
}
