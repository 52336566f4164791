//! The Rust reference scorer and the browser's quiz.js must agree on every input (SPEC §3).
//!
//! For every quiz in content/ and in the quiz fixtures: hundreds of random answer sets, all-lowest,
//! all-highest, and sets found to land exactly on each `when` cut, scored by both (with a random
//! draw where the quiz has `draw`); the outcome, every dimension and the knowledge totals must
//! match. The fixtures include `top` with `when` and `otherwise` (assessment-top-when.yaml).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use tandem::quiz::{self, Answers, Quiz};

const RANDOM_SETS: usize = 300;

/// splitmix64: deterministic, dependency-free randomness for reproducible cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn quiz_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["content", "src/quiz/fixtures"] {
        for e in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name().into_iter().flatten() {
            if e.path().extension().is_some_and(|x| x == "yaml") {
                files.push(e.into_path());
            }
        }
    }
    assert!(files.len() >= 8, "expected the flagship quizzes and the fixtures, found {files:?}");
    files
}

fn load(path: &Path) -> Quiz {
    let text = std::fs::read_to_string(path).unwrap();
    let (quiz, diagnostics) = quiz::parse(path, &text);
    assert!(!diagnostics.iter().any(|d| d.is_error()), "{}: {diagnostics:?}", path.display());
    quiz.unwrap()
}

/// Which end of each question's range an answer set takes.
#[derive(Clone, Copy)]
enum Pick {
    Random,
    Lowest,
    Highest,
}

/// One answer per question, as the form would give it, following the client data's shape.
fn answers(data: &Value, rng: &mut Rng, pick: Pick) -> Value {
    let mut out = serde_json::Map::new();
    for q in data["questions"].as_array().unwrap() {
        let required = q["required"].as_bool().unwrap_or(true);
        if !required && matches!(pick, Pick::Random) && rng.chance(30) {
            continue;
        }
        let id = q["id"].as_str().unwrap().to_string();
        let n_options = q["options"].as_array().map_or(0, Vec::len) as u64;
        let answer = match q["type"].as_str().unwrap() {
            "single" => json!(match pick {
                Pick::Random => rng.below(n_options),
                Pick::Lowest => 0,
                Pick::Highest => n_options - 1,
            }),
            "multiple" => {
                let picks: Vec<u64> = match pick {
                    Pick::Random => {
                        let mut v: Vec<u64> = (0..n_options).filter(|_| rng.chance(50)).collect();
                        if v.is_empty() {
                            v.push(rng.below(n_options));
                        }
                        if rng.chance(20) {
                            v.reverse(); // order must not matter
                        }
                        v
                    }
                    Pick::Lowest => vec![0],
                    Pick::Highest => (0..n_options).collect(),
                };
                json!(picks)
            }
            "truefalse" => json!(match pick {
                Pick::Random => rng.chance(50),
                Pick::Lowest => false,
                Pick::Highest => true,
            }),
            "scale" => {
                let (min, max) = (q["min"].as_i64().unwrap(), q["max"].as_i64().unwrap());
                json!(match pick {
                    Pick::Random => min + rng.below((max - min + 1) as u64) as i64,
                    Pick::Lowest => min,
                    Pick::Highest => max,
                })
            }
            "text" => {
                let accept: Vec<&str> =
                    q["accept"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
                let right = accept[rng.below(accept.len() as u64) as usize];
                json!(match rng.below(7) {
                    0 => right.to_string(),
                    1 => format!("  {}  ", right.to_uppercase()),
                    2 => right.replace('e', "é").replace('a', "á"),
                    3 => format!("{right}x"),
                    4 => disguised(right, rng),
                    5 => format!("{}{}", random_unicode(rng, 8), 'x'),
                    _ => "something else".to_string(),
                })
            }
            "number" => {
                let (answer, tolerance) =
                    (q["answer"].as_f64().unwrap(), q["tolerance"].as_f64().unwrap_or(0.0));
                json!(match rng.below(4) {
                    0 => answer,
                    1 => answer + tolerance,
                    2 => answer - tolerance - 1.0,
                    _ => answer + rng.below(10) as f64 - 5.0,
                })
            }
            "order" => {
                let n = q["items"].as_u64().unwrap();
                let mut positions: Vec<u64> = (1..=n).collect();
                match pick {
                    Pick::Lowest => positions.reverse(),
                    Pick::Highest => {}
                    Pick::Random => {
                        for i in (1..positions.len()).rev() {
                            positions.swap(i, rng.below(i as u64 + 1) as usize);
                        }
                    }
                }
                json!(positions)
            }
            "match" => {
                let (pairs, answers) = (q["pairs"].as_u64().unwrap(), q["answers"].as_u64().unwrap());
                json!(
                    (0..pairs)
                        .map(|k| match pick {
                            Pick::Highest => k,
                            Pick::Lowest => (k + 1) % answers,
                            Pick::Random if rng.chance(50) => k,
                            Pick::Random => rng.below(answers),
                        })
                        .collect::<Vec<u64>>()
                )
            }
            "cloze" => {
                let fills: Vec<Value> = q["blanks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| match (b["accept"].as_array(), pick) {
                        (Some(accept), Pick::Highest) => json!(accept[0]),
                        (Some(_), Pick::Lowest) => json!("wrong"),
                        (Some(accept), Pick::Random) => {
                            let right = accept[rng.below(accept.len() as u64) as usize].as_str().unwrap();
                            json!(match rng.below(3) {
                                0 => right.to_string(),
                                1 => disguised(right, rng),
                                _ => random_unicode(rng, 5) + "q",
                            })
                        }
                        (None, Pick::Highest) => b["correct"].clone(),
                        (None, Pick::Lowest) => {
                            json!((b["correct"].as_u64().unwrap() + 1) % b["options"].as_u64().unwrap())
                        }
                        (None, Pick::Random) => json!(rng.below(b["options"].as_u64().unwrap())),
                    })
                    .collect();
                json!(fills)
            }
            other => panic!("unknown question type {other}"),
        };
        out.insert(id, answer);
    }
    Value::Object(out)
}

/// Characters where Unicode text handling tends to differ between implementations: the
/// whitespace and invisible characters normalisation must agree on, combining marks, Turkish i,
/// Greek sigma, full-width and ligature forms, Hangul (decomposed by NFKD), astral characters
/// (surrogate pairs in JavaScript), and letters of several scripts.
const TRICKY: &[char] = &[
    ' ', '\t', '\n', '\u{85}', '\u{a0}', '\u{1680}', '\u{2002}', '\u{200a}', '\u{2028}', '\u{2029}',
    '\u{202f}', '\u{205f}', '\u{3000}', '\u{feff}', '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}',
    '\u{301}', '\u{308}', '\u{327}', '\u{20dd}', 'İ', 'ı', 'I', 'i', 'Σ', 'σ', 'ς', 'ß', 'ẞ', 'Ǆ', 'ǅ', 'Å',
    '\u{212b}', 'ﬁ', 'Ａ', 'ｚ', '１', '①', '²', '한', '글', 'ㄱ', 'é', 'É', 'ø', 'Ж', 'ж', 'Ա', 'א', 'ب',
    'क', '\u{93f}', '中', '😀', '𝐀', '𝔷', 'ﾞ', 'ｶ',
];

/// A string of `n` characters drawn from [`TRICKY`] and plain letters.
fn random_unicode(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| {
            if rng.chance(70) {
                TRICKY[rng.below(TRICKY.len() as u64) as usize]
            } else {
                (b'a' + rng.below(26) as u8) as char
            }
        })
        .collect()
}

/// `right` as a reader might type or paste it: odd case, width, spacing and invisible marks,
/// which normalisation must see through (or not) the same way on both sides.
fn disguised(right: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    for c in right.chars() {
        match rng.below(8) {
            0 => out.extend(c.to_uppercase()),
            // full width, where there is one
            1 if c.is_ascii_graphic() => out.push(char::from_u32(c as u32 - 0x21 + 0xff01).unwrap()),
            2 => {
                out.push(c);
                out.push(['\u{301}', '\u{ad}', '\u{feff}', '\u{200b}'][rng.below(4) as usize]);
            }
            3 if c == ' ' => out.push(['\u{85}', '\u{a0}', '\u{2028}', '\u{3000}'][rng.below(4) as usize]),
            _ => out.push(c),
        }
    }
    out
}

/// Every `min` and `below` of every `when`, per dimension.
fn cuts(data: &Value) -> Vec<(String, f64)> {
    let mut cuts = Vec::new();
    for o in data["outcomes"].as_array().unwrap() {
        if let Some(when) = o["when"].as_object() {
            for (dim, bound) in when {
                for key in ["min", "below"] {
                    if let Some(v) = bound[key].as_f64() {
                        cuts.push((dim.clone(), v));
                    }
                }
            }
        }
    }
    cuts
}

fn score_in_node(cases: &[Value]) -> Vec<Value> {
    node(json!({ "cases": cases }))
}

/// Runs tests/js/score-cli.mjs on `input`.
fn node(input: Value) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/score-cli.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed (./scripts/test.sh installs it)");
    let input = serde_json::to_vec(&input).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "score-cli failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn close(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9,
        _ => a.is_null() == b.is_null() && (a.is_null() || a == b),
    }
}

#[test]
fn rust_and_javascript_scorers_agree_on_every_quiz() {
    let mut total = 0;
    for path in quiz_files() {
        let quiz = load(&path);
        let data = quiz.client_data();
        let mut rng = Rng(0x7a9d_e11a ^ path.to_string_lossy().len() as u64);
        let mut sets = vec![answers(&data, &mut rng, Pick::Lowest), answers(&data, &mut rng, Pick::Highest)];
        sets.extend((0..RANDOM_SETS).map(|_| answers(&data, &mut rng, Pick::Random)));

        // Keep searching until each reachable cut has an answer set scoring exactly on it.
        let mut on_cut = std::collections::BTreeSet::new();
        let cut_list = cuts(&data);
        for _ in 0..20_000 {
            if on_cut.len() == cut_list.len() {
                break;
            }
            let candidate = answers(&data, &mut rng, Pick::Random);
            let parsed: Answers = serde_json::from_value(candidate.clone()).unwrap();
            let Ok(result) = quiz::score(&quiz, &parsed) else { continue };
            for (i, (dim, cut)) in cut_list.iter().enumerate() {
                if result.dimensions.get(dim).is_some_and(|v| (v - cut).abs() < 1e-12) && on_cut.insert(i) {
                    sets.push(candidate.clone());
                }
            }
        }

        // With `draw`, each answer set is a reader's with a random draw (answers to the questions
        // not drawn are there too, and must count for nothing on both sides).
        let draws: Vec<Option<Vec<String>>> = sets
            .iter()
            .map(|_| {
                let n = data["draw"].as_u64()? as usize;
                let mut ids: Vec<String> = quiz.questions.iter().map(|q| q.id.clone()).collect();
                for i in 0..n {
                    let j = i + rng.below((ids.len() - i) as u64) as usize;
                    ids.swap(i, j);
                }
                ids.truncate(n);
                Some(ids)
            })
            .collect();
        let cases: Vec<Value> = sets
            .iter()
            .zip(&draws)
            .map(|(a, drawn)| json!({ "data": data, "answers": a, "drawn": drawn }))
            .collect();
        let js = score_in_node(&cases);
        assert_eq!(js.len(), sets.len());
        for ((answers_json, js_result), drawn) in sets.iter().zip(&js).zip(&draws) {
            let parsed: Answers = serde_json::from_value(answers_json.clone()).unwrap();
            let rust = match drawn {
                Some(drawn) => quiz::score_drawn(&quiz, &parsed, drawn),
                None => quiz::score(&quiz, &parsed),
            }
            .unwrap_or_else(|missing| panic!("{}: generated answers miss {missing:?}", path.display()));
            let rust = serde_json::to_value(&rust).unwrap();
            let context =
                || format!("{}\nanswers: {answers_json}\nrust: {rust}\njs:   {js_result}", path.display());
            assert_eq!(rust["outcome"], js_result["outcome"], "outcome differs: {}", context());
            let (rd, jd) =
                (rust["dimensions"].as_object().unwrap(), js_result["dimensions"].as_object().unwrap());
            assert_eq!(rd.len(), jd.len(), "dimensions differ: {}", context());
            for (dim, value) in rd {
                assert!(close(value, &jd[dim]), "dimension {dim} differs: {}", context());
            }
            for key in ["earned", "possible", "score", "passed"] {
                assert!(close(&rust[key], &js_result[key]), "{key} differs: {}", context());
            }
            let (rq, jq) =
                (rust["questions"].as_object().unwrap(), js_result["questions"].as_object().unwrap());
            assert_eq!(rq.len(), jq.len(), "questions differ: {}", context());
            for (id, r) in rq {
                assert_eq!(r["correct"], jq[id]["correct"], "question {id} differs: {}", context());
                assert!(close(&r["earned"], &jq[id]["earned"]), "question {id} differs: {}", context());
            }
        }
        println!(
            "{}: {} answer sets agree, {}/{} cuts hit exactly",
            path.display(),
            sets.len(),
            on_cut.len(),
            cut_list.len()
        );
        total += sets.len();
    }
    assert!(total > 2000, "only {total} answer sets");
}

#[test]
fn rust_and_javascript_normalise_random_unicode_alike() {
    let mut rng = Rng(0x5eed_7e47);
    let strings: Vec<String> = (0..3000).map(|i| random_unicode(&mut rng, 1 + i % 12)).collect();
    let js = node(json!({ "normalize": strings }));
    assert_eq!(js.len(), strings.len());
    let mut differing = Vec::new();
    for (s, js) in strings.iter().zip(&js) {
        let rust = quiz::normalize(s);
        if js.as_str() != Some(rust.as_str()) {
            differing.push(format!("{s:?}: rust {rust:?}, js {js}"));
        }
    }
    assert!(
        differing.is_empty(),
        "{} of {} differ:\n{}",
        differing.len(),
        strings.len(),
        differing.join("\n")
    );
}
