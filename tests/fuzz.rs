//! Fuzzing on stable Rust: proptest generates structured inputs (front matter, quiz YAML,
//! Markdown with quiz calls, site.toml), each is put into a small valid site, and the real
//! `tandem` binary checks or builds it in a child process. The property, for every input: the
//! process exits with 0 or 1 (never a panic, an abort or a signal), within a CPU-time and a
//! memory bound, and a failure says where (a file, and a line where the input has one).
//!
//! Each target runs for a time budget, `TANDEM_FUZZ_SECONDS` (default 12 s; `scripts/fuzz.sh`
//! runs a long campaign on the release build). A failing input is shrunk by proptest and saved in
//! `tests/fuzz.proptest-regressions`, which is replayed first on every later run.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::Fixture;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};

/// CPU time per input, for the debug binary; the inputs are all under ~100 KB. CPU time, not
/// wall time, so that other work on the machine does not make a fast input look slow.
const TIME_LIMIT: Duration = Duration::from_secs(20);
/// Wall time after which a run is killed (a hang that sleeps uses no CPU).
const WALL_LIMIT: Duration = Duration::from_secs(120);
const MEMORY_LIMIT_KB: i64 = 512 * 1024;

fn budget() -> Duration {
    let seconds = std::env::var("TANDEM_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(12);
    Duration::from_secs(seconds)
}

/// What one run of the binary did.
struct Outcome {
    /// `None` when it was killed by a signal (or by us, past the wall-time limit).
    code: Option<i32>,
    /// User plus system CPU time.
    cpu: Duration,
    wall: Duration,
    peak_kb: i64,
    stderr: String,
}

/// Runs `tandem ARGS --root ROOT`, killing it past [`WALL_LIMIT`]; its CPU time and peak
/// memory come from wait4, which reports the child's own resource use.
fn run_tandem(root: &Path, args: &[&str]) -> Outcome {
    let stderr_file = root.join(".fuzz-stderr");
    // TANDEM_FUZZ_BIN runs another build of tandem (an older one, to reproduce what it got wrong).
    let binary =
        std::env::var("TANDEM_FUZZ_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_tandem").to_string());
    // Reaped below with wait4 (for its rusage), which clippy cannot see.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(binary)
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_file).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let pid = child.id() as libc::pid_t;
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    loop {
        // SAFETY: waits for our own child, writing into locals that outlive the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        if started.elapsed() > WALL_LIMIT {
            let _ = child.kill();
            // SAFETY: as above, blocking this time: the child was just killed.
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let stderr = std::fs::read_to_string(&stderr_file).unwrap_or_default();
    let seconds = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    Outcome { code, cpu, wall: started.elapsed(), peak_kb: usage.ru_maxrss, stderr }
}

/// Counts across a target's run, printed at its end.
#[derive(Default)]
struct Tally {
    inputs: AtomicUsize,
    slowest_ms: AtomicUsize,
    peak_kb: AtomicUsize,
}

/// The property: exit 0 or 1, no panic, bounded time and memory; a failure names a file.
fn check_site(site: &Fixture, command: &str, tally: &Tally) -> Result<(), TestCaseError> {
    let outcome = run_tandem(site.dir.path(), &[command]);
    tally.inputs.fetch_add(1, Ordering::Relaxed);
    tally.slowest_ms.fetch_max(outcome.cpu.as_millis() as usize, Ordering::Relaxed);
    tally.peak_kb.fetch_max(outcome.peak_kb as usize, Ordering::Relaxed);
    let stderr = &outcome.stderr;
    prop_assert!(outcome.wall <= WALL_LIMIT, "{command} still ran after {:?} (killed)", outcome.wall);
    prop_assert!(outcome.cpu <= TIME_LIMIT, "{command} took {:?} of CPU time", outcome.cpu);
    prop_assert!(matches!(outcome.code, Some(0 | 1)), "{command} ended with {:?}:\n{stderr}", outcome.code);
    prop_assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{command}:\n{stderr}");
    prop_assert!(outcome.peak_kb <= MEMORY_LIMIT_KB, "{command} used {} MB", outcome.peak_kb / 1024);
    if outcome.code == Some(1) {
        prop_assert!(
            stderr.contains("error: ") && stderr.contains("-->"),
            "an error names its place:\n{stderr}"
        );
    }
    Ok(())
}

/// Runs `strategy` for the time budget, each input written into a fresh fixture site by `apply`.
fn fuzz<S: Strategy>(name: &str, strategy: S, apply: impl Fn(&Fixture, &S::Value))
where
    S::Value: std::fmt::Debug,
{
    let deadline = Instant::now() + budget();
    let tally = Tally::default();
    // Small batches until the budget is spent: proptest counts cases, not seconds, and each
    // batch's runner starts from a fresh random seed (and replays the saved regressions first).
    let mut result = Ok(());
    while result.is_ok() && Instant::now() < deadline {
        let config = Config {
            cases: 8,
            failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
                "tests/fuzz.proptest-regressions",
            ))),
            max_shrink_time: 120_000,
            ..Config::default()
        };
        result = TestRunner::new(config).run(&strategy, |input| {
            let site = Fixture::new();
            site.write("content/quizzes/check.yaml", QUIZ);
            apply(&site, &input);
            // Most inputs are checked; every fourth is built too, which writes the output.
            let n = tally.inputs.load(Ordering::Relaxed);
            check_site(&site, if n % 4 == 3 { "build" } else { "check" }, &tally)
        });
    }
    eprintln!(
        "fuzz {name}: {} inputs, slowest {} ms of CPU, peak {} MB",
        tally.inputs.load(Ordering::Relaxed),
        tally.slowest_ms.load(Ordering::Relaxed),
        tally.peak_kb.load(Ordering::Relaxed) / 1024
    );
    if let Err(e) = result {
        panic!("fuzz {name} found a failing input: {e}");
    }
}

const QUIZ: &str = include_str!("../src/quiz/fixtures/knowledge-basics.yaml");
const QUIZ_FIXTURES: [&str; 7] = [
    include_str!("../src/quiz/fixtures/knowledge-basics.yaml"),
    include_str!("../src/quiz/fixtures/assessment-quadrants.yaml"),
    include_str!("../src/quiz/fixtures/assessment-top.yaml"),
    include_str!("../content/quizzes/attachment-style.yaml"),
    include_str!("../content/quizzes/habit-start.yaml"),
    include_str!("../content/quizzes/interdependence-basics.yaml"),
    include_str!("../content/quizzes/relationship-balance.yaml"),
];

// ---- shared pieces ----

/// Text that has broken parsers before: quotes, escapes, markup, odd Unicode, long runs.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,16}",
        "\\PC{0,24}",
        Just(String::new()),
        Just("\"quoted: \\\" \"".to_string()),
        Just("'it''s'".to_string()),
        Just("<script>alert('x')</script>".to_string()),
        Just("</textarea><img src=x onerror=alert(1)>".to_string()),
        Just("{{ quiz(id=\"check\") }}".to_string()),
        Just("{% raw %}{{ x }}{% endraw %}".to_string()),
        Just("\u{feff}\u{200b}\u{202e}é\u{301}😀".to_string()),
        Just("\t\r\n".to_string()),
        Just("%00%2e%2e/".to_string()),
        (1usize..400).prop_map(|n| "x".repeat(n * 50)),
        (1usize..300).prop_map(|n| "\\".repeat(n)),
    ]
}

fn nesting_burst() -> impl Strategy<Value = String> {
    (prop_oneof![Just(("[", "]")), Just(("{a: ", "}")), Just(("{\"a\": ", "}"))], 1usize..20_000)
        .prop_map(|((open, close), n)| format!("{}1{}", open.repeat(n), close.repeat(n)))
}

// ---- YAML (front matter and quizzes) ----

fn yaml_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => nasty_text().prop_map(|t| format!("{t:?}")), // a double-quoted YAML string
        2 => "[a-z0-9 .:-]{0,20}",
        1 => prop_oneof![
            Just("~"), Just("null"), Just("true"), Just("no"), Just("1e400"), Just("-0"), Just("0x1F"),
            Just(".nan"), Just("2024-13-45"), Just("2024-05-01"), Just("9999999999999999999999"),
            Just("&anchor x"), Just("*anchor"), Just("!!binary aGk="), Just("!custom x"), Just("|\n  block\n  text"),
            Just(">-\n  folded"), Just("'single'"), Just("\"unterminated"), Just("[a, b"), Just("{a: 1"),
            Just("? complex\n: key"), Just("- - - x"), Just("<<: *anchor"),
        ]
        .prop_map(str::to_string),
    ]
}

fn yaml_value() -> impl Strategy<Value = String> {
    let leaf = yaml_scalar();
    let tree = leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..5).prop_map(|v| {
                format!("{{{}}}", v.iter().map(|(k, x)| format!("{k}: {x}")).collect::<Vec<_>>().join(", "))
            }),
        ]
    });
    prop_oneof![8 => tree, 1 => nesting_burst()]
}

const FRONT_KEYS: [&str; 16] = [
    "title",
    "description",
    "weight",
    "date",
    "updated",
    "draft",
    "tags",
    "slug",
    "template",
    "aliases",
    "extra",
    "titel",
    "Title",
    "extra.x",
    "",
    "weight ",
];

fn front_matter() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        8 => (prop::sample::select(&FRONT_KEYS[..]), yaml_value()).prop_map(|(k, v)| format!("{k}: {v}")),
        1 => nasty_text(),
        1 => Just("  indented: oops".to_string()),
        1 => Just("---".to_string()),
    ];
    (prop::collection::vec(line, 0..8), any::<bool>(), markdown()).prop_map(|(lines, title_first, body)| {
        let title = if title_first { "title: Fuzzed\n" } else { "" };
        format!("---\n{title}{}\n---\n{body}", lines.join("\n"))
    })
}

/// One change to a quiz file, applied at a position chosen by `at` (a fraction of the file).
#[derive(Debug, Clone)]
enum QuizEdit {
    ReplaceLine { at: usize, with: String },
    DeleteLines { at: usize, count: usize },
    DuplicateLines { at: usize, count: usize },
    Reindent { at: usize, spaces: usize },
    ReplaceValue { at: usize, with: String },
    InsertText { at: usize, text: String },
}

fn quiz_edit() -> impl Strategy<Value = QuizEdit> {
    let at = any::<usize>();
    prop_oneof![
        (at, (prop::sample::select(&QUIZ_KEY_WORDS[..]), yaml_value()))
            .prop_map(|(at, (k, v))| QuizEdit::ReplaceLine { at, with: format!("{k}: {v}") }),
        (at, 1usize..20).prop_map(|(at, count)| QuizEdit::DeleteLines { at, count }),
        (at, 1usize..40).prop_map(|(at, count)| QuizEdit::DuplicateLines { at, count }),
        (at, 0usize..12).prop_map(|(at, spaces)| QuizEdit::Reindent { at, spaces }),
        (at, yaml_value()).prop_map(|(at, with)| QuizEdit::ReplaceValue { at, with }),
        (at, nasty_text()).prop_map(|(at, text)| QuizEdit::InsertText { at, text }),
    ]
}

const QUIZ_KEY_WORDS: [&str; 28] = [
    "title",
    "mode",
    "questions",
    "- type",
    "  - type",
    "    type",
    "prompt",
    "    prompt",
    "options",
    "      - text",
    "        correct",
    "answer",
    "    answer",
    "points",
    "dimension",
    "dimensions",
    "outcomes",
    "  - id",
    "    when",
    "    top",
    "scale",
    "    scale",
    "display",
    "pass",
    "practice",
    "share",
    "    hint",
    "    tests",
];

fn apply_quiz_edits(source: &str, edits: &[QuizEdit]) -> String {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    for edit in edits {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match edit {
            QuizEdit::ReplaceLine { at, with } => lines[at % n] = with.clone(),
            QuizEdit::DeleteLines { at, count } => {
                let start = at % n;
                lines.drain(start..(start + count).min(n));
            }
            QuizEdit::DuplicateLines { at, count } => {
                let start = at % n;
                let copy: Vec<String> = lines[start..(start + count).min(n)].to_vec();
                lines.splice(start..start, copy);
            }
            QuizEdit::Reindent { at, spaces } => {
                let line = &mut lines[at % n];
                *line = format!("{}{}", " ".repeat(*spaces), line.trim_start());
            }
            QuizEdit::ReplaceValue { at, with } => {
                let line = &mut lines[at % n];
                if let Some(colon) = line.find(": ") {
                    line.truncate(colon + 2);
                    line.push_str(with);
                }
            }
            QuizEdit::InsertText { at, text } => {
                let line = &mut lines[at % n];
                let mut cut = at % (line.len() + 1);
                while !line.is_char_boundary(cut) {
                    cut -= 1;
                }
                line.insert_str(cut, text);
            }
        }
    }
    lines.join("\n") + "\n"
}

fn quiz_yaml() -> impl Strategy<Value = String> {
    (0..QUIZ_FIXTURES.len(), prop::collection::vec(quiz_edit(), 1..6))
        .prop_map(|(i, edits)| apply_quiz_edits(QUIZ_FIXTURES[i], &edits))
}

// ---- Markdown with quiz calls ----

fn inline() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z ]{1,20}",
        1 => nasty_text(),
        1 => prop_oneof![
            Just("[two](two.md#the-end)"), Just("[gone](missing.md)"), Just("[self](#nowhere)"),
            Just("[up](../../../../etc/passwd.md)"), Just("[pct](%zz%2e.md)"), Just("[q](../quizzes/check.yaml)"),
            Just("<https://example.org>"), Just("![img](x.png \"t\")"), Just("[ref][r]"), Just("[^note]"),
            Just("`code`"), Just("<span title='it'>'q'</span>"), Just("<script>var a = 'x';</script>"),
            Just("<code>it's</code>"), Just("\\*not em\\*"), Just("**bold *both** em*"), Just("~~del~~"),
            Just("{{ quiz(id=\"check\") }}"), Just("{{ quiz(id=\"nope\") }}"), Just("{{ quiz(id=) }}"),
            Just("{{quiz(id=\"check\")}} {{quiz(id=\"check\")}}"), Just("{{ quiz(id=\"a\"b\") }}"),
        ]
        .prop_map(str::to_string),
        1 => (prop::sample::select(&["*", "_", "`", "[", "]", "<", "&", "|", "~"][..]), 1usize..2000)
            .prop_map(|(c, n)| c.repeat(n)),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(inline(), 1..5).prop_map(|v| v.join(" "))
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => text(),
        2 => (1usize..7, prop_oneof![Just("a".to_string()), Just("Start here".to_string()), text()])
            .prop_map(|(level, t)| format!("{} {t}", "#".repeat(level))),
        1 => Just("## Same\n\n## Same\n\n## Same-1 {#same-1}\n\n## Same".to_string()),
        1 => (1usize..20, text()).prop_map(|(n, t)| (0..n).map(|i| format!("{}- {t}", "  ".repeat(i))).collect::<Vec<_>>().join("\n")),
        1 => (1usize..500).prop_map(|n| "- item\n".repeat(n)),
        1 => (1usize..200).prop_map(|n| format!("{}quote", "> ".repeat(n))),
        1 => text().prop_map(|t| format!("```rust\n{t}\n```")),
        1 => Just("```\nunclosed fence".to_string()),
        1 => Just("| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3".to_string()),
        1 => Just("[^note]: A footnote.\n\n[r]: https://example.org \"title\"".to_string()),
        1 => Just("<div>\n\n\"prose\" in a div\n\n</div>".to_string()),
        1 => Just("<pre>\n'raw'\n".to_string()),
        1 => Just("{{ quiz(id=\"check\") }}".to_string()),
        1 => Just("- {{ quiz(id=\"check\") }}".to_string()),
        1 => Just("{{ quiz(id=\"missing\") }}".to_string()),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 0..12).prop_map(|blocks| blocks.join("\n\n") + "\n")
}

// ---- site.toml ----

fn toml_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        nasty_text().prop_map(|t| format!("{t:?}")),
        Just("true".to_string()),
        Just("-1".to_string()),
        Just("1e999".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("'''multi\nline'''".to_string()),
        Just("\"unterminated".to_string()),
        Just("inf".to_string()),
    ];
    let tree = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z]{1,5}", inner), 0..4).prop_map(|v| {
                format!(
                    "{{ {} }}",
                    v.iter().map(|(k, x)| format!("{k} = {x}")).collect::<Vec<_>>().join(", ")
                )
            }),
        ]
    });
    prop_oneof![
        6 => tree,
        1 => (1usize..3000).prop_map(|n| format!("{}1{}", "[".repeat(n), "]".repeat(n))),
        1 => prop_oneof![
            Just("\"javascript:alert(1)\""), Just("\"//evil.example/x\""), Just("\"https://e.org/a b\""),
            Just("\"/guide/\""), Just("\"http://[::1]:8080/x/\""), Just("\"../escape\""), Just("\"/\""),
        ]
        .prop_map(str::to_string),
    ]
}

const TOML_KEYS: [&str; 14] = [
    "title",
    "base_url",
    "description",
    "language",
    "theme",
    "output_dir",
    "drafts",
    "smart_punctuation",
    "heading_anchors",
    "toc_min_headings",
    "titel",
    "x",
    "a.b.c",
    "\"quoted key\"",
];

fn site_toml() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        6 => (prop::sample::select(&TOML_KEYS[..]), toml_value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => prop::sample::select(&["[build]", "[markdown]", "[extra]", "[[extra.list]]", "[extra.a.b]", "[nope]", "[build"][..])
            .prop_map(str::to_string),
        1 => (1usize..2000).prop_map(|n| format!("{} = 1", vec!["k"; n].join("."))),
        1 => nasty_text(),
    ];
    (any::<bool>(), prop::collection::vec(line, 0..10)).prop_map(|(title, lines)| {
        let head = if title { "title = \"Fuzzed\"\n" } else { "" };
        format!("{head}{}\n", lines.join("\n"))
    })
}

// ---- the targets ----

#[test]
fn fuzz_front_matter() {
    fuzz("front matter", front_matter(), |site, text| site.write("content/guides/one.md", text));
}

#[test]
fn fuzz_quiz_yaml() {
    fuzz("quiz YAML", quiz_yaml(), |site, text| site.write("content/quizzes/fuzzed.yaml", text));
}

#[test]
fn fuzz_markdown_with_quiz_calls() {
    fuzz("Markdown", markdown(), |site, body| {
        site.write("content/guides/fuzzed.md", &format!("---\ntitle: Fuzzed\n---\n{body}"))
    });
}

#[test]
fn fuzz_site_toml() {
    fuzz("site.toml", site_toml(), |site, text| site.write("site.toml", text));
}
