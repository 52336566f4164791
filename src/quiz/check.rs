//! From the quiz as written ([`super::raw`]) to the validated model ([`super::model`]): every
//! rule of SPEC §3 that can be judged one question or outcome at a time, each broken rule
//! reported at the YAML node that breaks it, all of them in one pass.
//!
//! What needs the whole score space (gaps, overlaps, unreachable outcomes, unfair `top`
//! comparisons) is [`super::analysis`]'s.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, did_you_mean};

use super::locate::{Seg, SourceMap, Span, at};
use super::model::*;
use super::raw::*;
use super::text::normalize;

/// Collects the diagnostics of one quiz file and knows how to point into it.
pub(crate) struct Reporter<'a> {
    pub file: &'a Path,
    pub source: &'a str,
    pub map: &'a SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(file: &'a Path, source: &'a str, map: &'a SourceMap) -> Self {
        Reporter { file, source, map, diagnostics: Vec::new() }
    }

    pub fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, message).at_offset(self.source, span.offset, span.len)
    }

    pub fn warning(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.file, message).at_offset(self.source, span.offset, span.len)
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Where the value at `path` is (or the nearest thing that exists).
    pub fn value(&self, path: &[Seg]) -> Span {
        self.map.value_or_parent(path)
    }

    /// Where the key ending `path` is (or the nearest thing that exists).
    pub fn key(&self, path: &[Seg]) -> Span {
        self.map.key_or_parent(path)
    }
}

/// Turns a deserialized quiz into the validated model, reporting every rule it breaks.
/// `None` when there was any error.
pub(crate) fn build(r: &mut Reporter, id: String, hash: u32, raw: RawQuiz) -> Option<Quiz> {
    let errors_before = r.error_count();
    let mode = match raw.mode {
        RawMode::Knowledge => Mode::Knowledge { pass: check_pass(r, raw.pass) },
        RawMode::Assessment => {
            if raw.pass.is_some() {
                r.push(r.error(r.key(at!["pass"]), "`pass` is for knowledge quizzes").with_hint(
                    "an assessment has no right answers to pass with; remove `pass`, or set `mode: knowledge`",
                ));
            }
            Mode::Assessment
        }
    };
    let title = non_blank(r, raw.title, at!["title"], "the quiz needs a title");
    let dimensions = check_dimensions(r, mode, raw.dimensions);
    let dimension_ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();

    if raw.questions.is_empty() {
        r.push(
            r.error(r.value(at!["questions"]), "the quiz has no questions")
                .with_hint("add at least one question under `questions`"),
        );
    }
    let ids = check_question_ids(r, &raw.questions);
    let questions: Vec<Option<Question>> = raw
        .questions
        .into_iter()
        .zip(ids)
        .enumerate()
        .map(|(i, (q, id))| check_question(r, mode, &dimension_ids, i, id, q))
        .collect();

    let outcomes = check_outcomes(r, mode, &dimension_ids, raw.outcomes);
    let questions: Vec<Question> = questions.into_iter().flatten().collect();
    if mode == Mode::Assessment {
        warn_thin_dimensions(r, &dimensions, &questions);
    }

    let markdown = |r: &Reporter, text: Option<String>, key: &str| {
        text.map(|text| Markdown { text, offset: r.value(at![key]).offset })
    };
    let quiz = Quiz {
        id,
        title,
        description: markdown(r, raw.description, "description"),
        mode,
        intro: markdown(r, raw.intro, "intro"),
        display: raw.display.unwrap_or_default(),
        shuffle: raw.shuffle.unwrap_or_default(),
        remember: raw.remember.unwrap_or(true),
        disclaimer: markdown(r, raw.disclaimer, "disclaimer"),
        weight: raw.weight.unwrap_or(0),
        dimensions,
        questions,
        outcomes,
        hash,
    };
    (r.error_count() == errors_before).then_some(quiz)
}

fn check_pass(r: &mut Reporter, pass: Option<f64>) -> Option<f64> {
    let pass = pass?;
    if !(0.0..=100.0).contains(&pass) {
        r.push(
            r.error(r.value(at!["pass"]), format!("`pass` is {pass}, outside 0–100"))
                .with_hint("`pass` is a percentage of the possible points, e.g. `pass: 70`"),
        );
    }
    Some(pass)
}

/// A required text, with an error when it is only whitespace.
fn non_blank(r: &mut Reporter, text: String, path: &[Seg], message: &str) -> String {
    if text.trim().is_empty() {
        r.push(r.error(r.value(path), message));
    }
    text
}

/// Whether `id` can stand as is in HTML ids, attribute values and storage keys: letters (any
/// script), digits, `-` and `_`. Nothing else, so that no id needs escaping where the theme or
/// the script puts it (SPEC §4 names elements by these ids).
pub(crate) fn is_safe_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// `id` turned into one [`is_safe_id`] accepts, for hints: other characters become `-`.
pub(crate) fn safe_id_like(id: &str) -> String {
    let mapped: String = id.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' }).collect();
    let joined = mapped.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if joined.is_empty() { "id-1".to_string() } else { joined }
}

/// Reports an id (of a `what`: question, dimension, outcome) that [`is_safe_id`] refuses. Blank
/// ids are reported by the caller.
fn check_id(r: &mut Reporter, id: &str, span: Span, what: &str) {
    if id.trim().is_empty() || is_safe_id(id) {
        return;
    }
    r.push(r.error(span, format!("the {what} id `{id}` has characters an id cannot have")).with_hint(
        format!(
            "ids name elements of the page: use letters, digits, `-` and `_`, e.g. `{}`",
            safe_id_like(id)
        ),
    ));
}

fn check_dimensions(r: &mut Reporter, mode: Mode, raw: Option<Vec<RawDimension>>) -> Vec<Dimension> {
    if let Mode::Knowledge { .. } = mode {
        if raw.is_some() {
            r.push(r.error(r.key(at!["dimensions"]), "a knowledge quiz has no `dimensions`").with_hint(
                "its one dimension is `score`, the percentage of points earned; remove \
                     `dimensions`, or set `mode: assessment`",
            ));
        }
        return vec![Dimension {
            id: KNOWLEDGE_DIMENSION.to_string(),
            label: String::new(),
            aggregate: Aggregate::Sum,
            min: 0.0,
            max: 100.0,
        }];
    }
    let raw = raw.unwrap_or_default();
    if raw.is_empty() {
        r.push(r.error(r.key(at!["dimensions"]), "an assessment needs at least one dimension").with_hint(
            "declare what the quiz measures, e.g. `dimensions: [{ id: closeness, label: Closeness }]`",
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut dimensions = Vec::new();
    for (i, d) in raw.into_iter().enumerate() {
        let id = non_blank(r, d.id, at!["dimensions", i, "id"], "a dimension needs an id");
        check_id(r, &id, r.value(at!["dimensions", i, "id"]), "dimension");
        if let Some(first) = seen.insert(id.clone(), i) {
            r.push(
                r.error(r.value(at!["dimensions", i, "id"]), format!("dimension `{id}` is declared twice"))
                    .with_hint(format!("it is also dimension {}; give each dimension its own id", first + 1)),
            );
        }
        dimensions.push(Dimension {
            label: d.label.unwrap_or_else(|| id.clone()),
            id,
            aggregate: d.aggregate.unwrap_or_default(),
            min: 0.0,
            max: 0.0,
        });
    }
    dimensions
}

/// The keys a question of this type takes in this mode, beyond `id`, `type`, `prompt`,
/// `required` and `explanation`.
fn type_keys(mode: Mode, kind: QuestionType) -> &'static [&'static str] {
    use QuestionType::*;
    match (mode, kind) {
        (Mode::Knowledge { .. }, Single) => &["options", "points"],
        (Mode::Knowledge { .. }, Multiple) => &["options", "points", "partial"],
        (Mode::Knowledge { .. }, TrueFalse) => &["answer", "points"],
        (Mode::Knowledge { .. }, Text) => &["accept", "points"],
        (Mode::Knowledge { .. }, Number) => &["answer", "tolerance", "points"],
        (Mode::Assessment, Single | Multiple) => &["options"],
        (Mode::Assessment, Scale) => &["scale", "dimension", "reverse", "weight"],
        // The type itself is wrong for the mode; that error is reported instead.
        _ => &[],
    }
}

/// Why `key` does not belong on a `kind` question in `mode`, and what to do instead.
fn misplaced_key_hint(mode: Mode, kind: QuestionType, key: &str) -> String {
    let takes = type_keys(mode, kind).iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let specific = match (key, mode) {
        ("reverse", _) => "`reverse` mirrors a scale item's value; only scale questions have it".to_string(),
        ("points", Mode::Assessment) => {
            "in an assessment, each option gives points per dimension: `points: { closeness: 2 }` on the option"
                .to_string()
        }
        ("dimension" | "weight" | "scale", _) => format!("`{key}` belongs to scale questions"),
        ("partial", Mode::Assessment) => "partial credit is for knowledge quizzes".to_string(),
        ("partial", _) => "partial credit is for multiple-select questions".to_string(),
        ("options", _) => "only single and multiple questions have options".to_string(),
        ("accept", _) => "only text questions have `accept`".to_string(),
        ("tolerance", _) => "only number questions have a `tolerance`".to_string(),
        ("answer", _) => "only truefalse and number questions have an `answer`; single and multiple \
                          mark theirs with `correct: true`"
            .to_string(),
        _ => format!("remove `{key}`"),
    };
    format!("{specific}; a {} question in a {} quiz takes {takes}", kind.name(), mode.name())
}

/// The type-specific keys present on a raw question.
fn present_type_keys(q: &RawQuestion) -> Vec<&'static str> {
    [
        ("options", q.options.is_some()),
        ("points", q.points.is_some()),
        ("partial", q.partial.is_some()),
        ("answer", q.answer.is_some()),
        ("tolerance", q.tolerance.is_some()),
        ("accept", q.accept.is_some()),
        ("scale", q.scale.is_some()),
        ("dimension", q.dimension.is_some()),
        ("reverse", q.reverse.is_some()),
        ("weight", q.weight.is_some()),
    ]
    .into_iter()
    .filter_map(|(key, present)| present.then_some(key))
    .collect()
}

fn check_question(
    r: &mut Reporter,
    mode: Mode,
    dimensions: &[&str],
    i: usize,
    id: String,
    q: RawQuestion,
) -> Option<Question> {
    let errors_before = r.error_count();
    let type_fits_mode = match (mode, q.kind) {
        (Mode::Knowledge { .. }, QuestionType::Scale) => Err((
            "a scale question in a knowledge quiz",
            "scale items have no right answer; use them in `mode: assessment`",
        )),
        (Mode::Assessment, QuestionType::TrueFalse | QuestionType::Text | QuestionType::Number) => Err((
            "a knowledge question type in an assessment",
            "truefalse, text and number questions have right answers; an assessment uses single, \
             multiple and scale questions",
        )),
        _ => Ok(()),
    };
    if let Err((message, hint)) = type_fits_mode {
        r.push(r.error(r.value(at!["questions", i, "type"]), message).with_hint(hint));
        return None;
    }

    let allowed = type_keys(mode, q.kind);
    for key in present_type_keys(&q) {
        if !allowed.contains(&key) {
            r.push(
                r.error(
                    r.key(at!["questions", i, key]),
                    format!("`{key}` does not belong on a {} question", q.kind.name()),
                )
                .with_hint(misplaced_key_hint(mode, q.kind, key)),
            );
        }
    }
    let prompt_span = r.value(at!["questions", i, "prompt"]);
    let prompt = non_blank(r, q.prompt, at!["questions", i, "prompt"], "the question needs a prompt");
    let points = match mode {
        Mode::Knowledge { .. } => Some(check_positive(r, q.points, at!["questions", i, "points"], "points")),
        Mode::Assessment => None,
    };

    let kind = match q.kind {
        QuestionType::Single | QuestionType::Multiple => {
            let options = check_options(r, mode, dimensions, i, q.kind, q.options);
            if q.kind == QuestionType::Single {
                QuestionKind::Single { options }
            } else {
                QuestionKind::Multiple { options, partial: q.partial.unwrap_or(false) }
            }
        }
        QuestionType::TrueFalse => {
            let answer = match &q.answer {
                Some(yaml_serde::Value::Bool(answer)) => *answer,
                Some(_) => {
                    r.push(
                        r.error(
                            r.value(at!["questions", i, "answer"]),
                            "a truefalse answer must be `true` or `false`",
                        )
                        .with_hint("write it unquoted: `answer: false`"),
                    );
                    false
                }
                None => {
                    r.push(
                        r.error(r.value(at!["questions", i]), "the truefalse question has no `answer`")
                            .with_hint("add `answer: true` or `answer: false`"),
                    );
                    false
                }
            };
            QuestionKind::TrueFalse { answer }
        }
        QuestionType::Number => {
            let answer = match q.answer.as_ref().map(|a| a.as_f64()) {
                Some(Some(answer)) if answer.is_finite() => answer,
                Some(_) => {
                    r.push(
                        r.error(
                            r.value(at!["questions", i, "answer"]),
                            "a number question's answer must be a number",
                        )
                        .with_hint("write it unquoted, e.g. `answer: 4` or `answer: 2.5`"),
                    );
                    0.0
                }
                None => {
                    r.push(
                        r.error(r.value(at!["questions", i]), "the number question has no `answer`")
                            .with_hint("add the right number, e.g. `answer: 4`"),
                    );
                    0.0
                }
            };
            let tolerance = q.tolerance.unwrap_or(0.0);
            if !(tolerance.is_finite() && tolerance >= 0.0) {
                r.push(
                    r.error(r.value(at!["questions", i, "tolerance"]), "`tolerance` must be zero or more")
                        .with_hint("an answer is right when it is within `tolerance` of `answer`"),
                );
            }
            QuestionKind::Number { answer, tolerance }
        }
        QuestionType::Text => QuestionKind::Text { accept: check_accept(r, i, q.accept) },
        QuestionType::Scale => {
            let scale = check_scale(r, i, q.scale);
            let dimension = match q.dimension {
                Some(d) => {
                    check_dimension_ref(r, dimensions, &d, r.value(at!["questions", i, "dimension"]));
                    d
                }
                None => {
                    r.push(
                        r.error(r.value(at!["questions", i]), "the scale question has no `dimension`")
                            .with_hint(format!("say what it measures: {}", one_of(dimensions))),
                    );
                    String::new()
                }
            };
            let weight = check_positive(r, q.weight, at!["questions", i, "weight"], "weight");
            QuestionKind::Scale { scale, dimension, reverse: q.reverse.unwrap_or(false), weight }
        }
    };

    let explanation = q
        .explanation
        .map(|text| Markdown { text, offset: r.value(at!["questions", i, "explanation"]).offset });
    let question = Question {
        id,
        prompt: Markdown { text: prompt, offset: prompt_span.offset },
        required: q.required.unwrap_or(true),
        explanation,
        points,
        kind,
    };
    (r.error_count() == errors_before).then_some(question)
}

/// A knowledge question's `points` or a scale's `weight`: default 1, finite and above zero.
/// The largest magnitude a scale bound may have.
const MAX_SCALE_VALUE: i64 = 1_000_000;
/// The largest points or weight a question or option may carry: far beyond any real quiz, and
/// small enough that no sum of them overflows or loses its integer exactness.
const MAX_POINTS: f64 = 1e9;

fn check_positive(r: &mut Reporter, value: Option<f64>, path: &[Seg], key: &str) -> f64 {
    let value = value.unwrap_or(1.0);
    if !(value.is_finite() && value > 0.0 && value <= MAX_POINTS) {
        r.push(
            r.error(r.value(path), format!("`{key}` must be a number above zero and at most {MAX_POINTS:e}"))
                .with_hint(format!("leave `{key}` out for the default, 1")),
        );
        return 1.0;
    }
    value
}

/// "one of `a`, `b`" for hints.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "declare a dimension under `dimensions` first".to_string(),
        [one] => format!("`{one}`"),
        _ => format!("one of {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// Reports a reference to a dimension that was not declared.
fn check_dimension_ref(r: &mut Reporter, dimensions: &[&str], id: &str, span: Span) -> bool {
    if dimensions.contains(&id) {
        return true;
    }
    let hint = match did_you_mean(id, dimensions.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? The dimensions are {}", one_of(dimensions)),
        None => format!("declare it under `dimensions`, or use {}", one_of(dimensions)),
    };
    r.push(r.error(span, format!("no dimension `{id}`")).with_hint(hint));
    false
}

fn check_options(
    r: &mut Reporter,
    mode: Mode,
    dimensions: &[&str],
    i: usize,
    kind: QuestionType,
    raw: Option<Vec<RawOption>>,
) -> Vec<Choice> {
    let Some(raw) = raw else {
        r.push(
            r.error(r.value(at!["questions", i]), format!("the {} question has no `options`", kind.name()))
                .with_hint("list the choices under `options`, each with a `text`"),
        );
        return Vec::new();
    };
    if raw.len() < 2 {
        r.push(
            r.error(
                r.value(at!["questions", i, "options"]),
                format!("the {} question has fewer than two options", kind.name()),
            )
            .with_hint("a reader needs at least two options to choose from"),
        );
    }
    let mut seen_text: HashMap<String, usize> = HashMap::new();
    let mut options = Vec::new();
    for (j, option) in raw.into_iter().enumerate() {
        let text_path = at!["questions", i, "options", j, "text"];
        let text = non_blank(r, option.text, text_path, "the option has no text");
        if let Some(first) = seen_text.insert(normalize(&text), j) {
            r.push(
                r.error(
                    r.value(text_path),
                    format!("option {} has the same text as option {}", j + 1, first + 1),
                )
                .with_hint("readers could not tell them apart; reword or remove one"),
            );
        }
        let credit = match mode {
            Mode::Knowledge { .. } => {
                if option.points.is_some() {
                    r.push(
                        r.error(
                            r.key(at!["questions", i, "options", j, "points"]),
                            "knowledge options have no `points`",
                        )
                        .with_hint(
                            "mark the right option with `correct: true`; the question's `points` says what \
                                 a right answer earns",
                        ),
                    );
                }
                Credit::Correct(option.correct.unwrap_or(false))
            }
            Mode::Assessment => {
                if option.correct.is_some() {
                    r.push(
                        r.error(
                            r.key(at!["questions", i, "options", j, "correct"]),
                            "assessment options are not right or wrong",
                        )
                        .with_hint("remove `correct`; give the option `points` per dimension instead"),
                    );
                }
                let points = option.points.unwrap_or_default();
                if points.is_empty() {
                    r.push(
                        r.error(
                            r.key(at!["questions", i, "options", j, "points"]),
                            "the option gives no points",
                        )
                        .with_hint(format!(
                            "every assessment option adds points to a dimension, e.g. `points: {{ {}: 1 }}`",
                            dimensions.first().unwrap_or(&"closeness")
                        )),
                    );
                }
                for (dimension, value) in &points {
                    let key_span = r.key(at!["questions", i, "options", j, "points", dimension.as_str()]);
                    check_dimension_ref(r, dimensions, dimension, key_span);
                    if !(value.is_finite() && value.abs() <= MAX_POINTS) {
                        r.push(r.error(key_span, format!("points must be a number within ±{MAX_POINTS:e}")));
                    }
                }
                // In the quiz's dimension order, so scoring adds them in a stable order.
                let mut points: Vec<(String, f64)> = points.into_iter().collect();
                points.sort_by_key(|(d, _)| dimensions.iter().position(|x| x == d));
                Credit::Points(points)
            }
        };
        let feedback = option.feedback.map(|text| Markdown {
            text,
            offset: r.value(at!["questions", i, "options", j, "feedback"]).offset,
        });
        options.push(Choice { text: Markdown { text, offset: r.value(text_path).offset }, feedback, credit });
    }

    if let Mode::Knowledge { .. } = mode {
        let correct: Vec<usize> = (0..options.len()).filter(|&j| options[j].credit.is_correct()).collect();
        let options_key = r.key(at!["questions", i, "options"]);
        match kind {
            QuestionType::Single if correct.is_empty() && !options.is_empty() => r.push(
                r.error(options_key, "the single question has no correct option")
                    .with_hint("mark the right option with `correct: true`"),
            ),
            QuestionType::Single if correct.len() > 1 => r.push(
                r.error(
                    r.value(at!["questions", i, "options", correct[1], "correct"]),
                    format!("the single question has {} correct options", correct.len()),
                )
                .with_hint(
                    "a single question has exactly one right option; use `type: multiple` for several",
                ),
            ),
            QuestionType::Multiple if correct.is_empty() && !options.is_empty() => r.push(
                r.error(options_key, "the multiple question has no correct option")
                    .with_hint("mark each right option with `correct: true`"),
            ),
            QuestionType::Multiple if correct.len() == options.len() && !options.is_empty() => {
                r.push(r.error(options_key, "every option of the multiple question is correct").with_hint(
                    "with no wrong option, ticking everything is always right; add a wrong option",
                ))
            }
            _ => {}
        }
    }
    options
}

fn check_accept(r: &mut Reporter, i: usize, accept: Option<Vec<String>>) -> Vec<String> {
    let Some(accept) = accept else {
        r.push(
            r.error(r.value(at!["questions", i]), "the text question has no `accept`")
                .with_hint("list the answers that count as right, e.g. `accept: [boundaries, boundary]`"),
        );
        return Vec::new();
    };
    if accept.is_empty() {
        r.push(
            r.error(r.value(at!["questions", i, "accept"]), "`accept` is empty: no answer could be right")
                .with_hint("list the answers that count as right, e.g. `accept: [boundaries, boundary]`"),
        );
    }
    for (k, entry) in accept.iter().enumerate() {
        if normalize(entry).is_empty() {
            r.push(
                r.error(r.value(at!["questions", i, "accept", k]), "an accepted answer is blank").with_hint(
                    "answers are compared trimmed, ignoring case and accents; remove the blank entry",
                ),
            );
        }
    }
    accept
}

fn check_scale(r: &mut Reporter, i: usize, scale: Option<yaml_serde::Value>) -> Scale {
    const PRESETS: [&str; 3] = ["agree5", "agree7", "frequency5"];
    let span = r.value(at!["questions", i, "scale"]);
    let preset_hint =
        "use `agree5`, `agree7`, `frequency5`, or your own `{ min: 0, max: 10, labels: [...] }`";
    match scale {
        None => {
            r.push(
                r.error(r.value(at!["questions", i]), "the scale question has no `scale`")
                    .with_hint(preset_hint),
            );
            Scale::Agree5
        }
        Some(yaml_serde::Value::String(name)) => match name.as_str() {
            "agree5" => Scale::Agree5,
            "agree7" => Scale::Agree7,
            "frequency5" => Scale::Frequency5,
            _ => {
                let hint = match did_you_mean(&name, PRESETS) {
                    Some(best) => format!("did you mean `{best}`? Or {preset_hint}"),
                    None => preset_hint.to_string(),
                };
                r.push(r.error(span, format!("no scale preset `{name}`")).with_hint(hint));
                Scale::Agree5
            }
        },
        Some(value @ yaml_serde::Value::Mapping(_)) => {
            match yaml_serde::from_value::<RawCustomScale>(value) {
                Ok(RawCustomScale { min, max, labels }) => {
                    let labels = labels.unwrap_or_default();
                    // Bounded so that sums stay exact in the browser's numbers and `min + max` cannot overflow.
                    let in_range = |v: i64| (-MAX_SCALE_VALUE..=MAX_SCALE_VALUE).contains(&v);
                    if min >= max || !in_range(min) || !in_range(max) || max - min > 100 {
                        r.push(r.error(span, format!("the scale runs from {min} to {max}")).with_hint(format!(
                            "`min` must be below `max`, with at most 100 steps between them, both within ±{MAX_SCALE_VALUE}"
                        )));
                    } else if !labels.is_empty() && labels.len() as i64 != max - min + 1 {
                        r.push(
                            r.error(
                                r.value(at!["questions", i, "scale", "labels"]),
                                format!(
                                    "{} labels for the {} values from {min} to {max}",
                                    labels.len(),
                                    max - min + 1
                                ),
                            )
                            .with_hint("give one label per value, or none"),
                        );
                    }
                    Scale::Custom { min, max, labels }
                }
                Err(e) => {
                    r.push(r.error(span, format!("the scale is not valid: {e}")).with_hint(
                        "a custom scale is `{ min: 0, max: 10 }` with whole numbers, and optional `labels`",
                    ));
                    Scale::Agree5
                }
            }
        }
        Some(_) => {
            r.push(
                r.error(span, "the scale must be a preset name or a `{ min, max }` mapping")
                    .with_hint(preset_hint),
            );
            Scale::Agree5
        }
    }
}

/// Each question's id, as written or by position, reporting blank ids and ids used twice.
fn check_question_ids(r: &mut Reporter, questions: &[RawQuestion]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let id = q.id.clone().unwrap_or_else(|| default_question_id(i));
        let span = match q.id {
            Some(_) => r.value(at!["questions", i, "id"]),
            None => r.value(at!["questions", i]),
        };
        if id.trim().is_empty() {
            r.push(r.error(span, "the question id is blank"));
        }
        check_id(r, &id, span, "question");
        if let Some(first) = seen.insert(id.clone(), i) {
            r.push(r.error(span, format!("question id `{id}` is used twice")).with_hint(format!(
                "question {} has it too (a question without an `id` gets `q` + its position); give each its own id",
                first + 1
            )));
        }
        ids.push(id);
    }
    ids
}

pub(crate) fn default_question_id(index: usize) -> String {
    format!("q{}", index + 1)
}

fn check_outcomes(
    r: &mut Reporter,
    mode: Mode,
    dimensions: &[&str],
    raw: Option<Vec<RawOutcome>>,
) -> Vec<Outcome> {
    let raw = raw.unwrap_or_default();
    if raw.is_empty() && mode == Mode::Assessment {
        r.push(
            r.error(r.key(at!["outcomes"]), "the assessment has no outcomes")
                .with_hint("add `outcomes` that say what each range of scores means, with `when` or `top`"),
        );
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut outcomes = Vec::new();
    for (k, o) in raw.into_iter().enumerate() {
        let id = non_blank(r, o.id, at!["outcomes", k, "id"], "the outcome needs an id");
        check_id(r, &id, r.value(at!["outcomes", k, "id"]), "outcome");
        if let Some(first) = seen.insert(id.clone(), k) {
            r.push(
                r.error(r.value(at!["outcomes", k, "id"]), format!("outcome id `{id}` is used twice"))
                    .with_hint(format!("outcome {} has it too; give each outcome its own id", first + 1)),
            );
        }
        let title = non_blank(r, o.title, at!["outcomes", k, "title"], "the outcome needs a title");
        let rule = match (o.when, o.top) {
            (Some(_), Some(_)) => {
                r.push(
                    r.error(r.key(at!["outcomes", k, "top"]), "the outcome has both `when` and `top`")
                        .with_hint("an outcome matches either by score ranges (`when`) or by the highest dimension (`top`); keep one"),
                );
                OutcomeRule::When(Vec::new())
            }
            (None, None) => {
                r.push(
                    r.error(r.value(at!["outcomes", k]), "the outcome has neither `when` nor `top`")
                        .with_hint(format!(
                            "say when it is the result, e.g. `when: {{ {}: {{ min: 3 }} }}` or `top: {}`",
                            dimensions.first().unwrap_or(&"score"),
                            dimensions.first().unwrap_or(&"score")
                        )),
                );
                OutcomeRule::When(Vec::new())
            }
            (Some(when), None) => {
                let mut bounds = Vec::new();
                for (dimension, bound) in when {
                    let path = at!["outcomes", k, "when", dimension.as_str()];
                    check_dimension_ref(r, dimensions, &dimension, r.key(path));
                    let bound_span = r.value(path);
                    match (bound.min, bound.below) {
                        (None, None) => r.push(
                            r.error(
                                bound_span,
                                format!("the bound on `{dimension}` has neither `min` nor `below`"),
                            )
                            .with_hint(
                                "give `min`, `below` or both: `{ min: 2, below: 3.5 }` means 2 ≤ score < 3.5",
                            ),
                        ),
                        (Some(min), Some(below)) if min >= below => r.push(
                            r.error(bound_span, format!("no score is at least {min} and below {below}"))
                                .with_hint(
                                    "`min` must be less than `below`; the range is min ≤ score < below",
                                ),
                        ),
                        (min, below)
                            if !min.unwrap_or(0.0).is_finite() || !below.unwrap_or(0.0).is_finite() =>
                        {
                            r.push(
                                r.error(bound_span, "bounds must be finite numbers")
                                    .with_hint("leave a bound out to leave it open"),
                            )
                        }
                        _ => {}
                    }
                    bounds.push(Bound { dimension, min: bound.min, below: bound.below });
                }
                bounds.sort_by_key(|b| dimensions.iter().position(|d| *d == b.dimension));
                OutcomeRule::When(bounds)
            }
            (None, Some(top)) => {
                check_dimension_ref(r, dimensions, &top, r.value(at!["outcomes", k, "top"]));
                OutcomeRule::Top(top)
            }
        };
        let body = o.body.map(|text| Markdown { text, offset: r.value(at!["outcomes", k, "body"]).offset });
        let links = o
            .links
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(l, target)| {
                let offset = r.value(at!["outcomes", k, "links", l]).offset;
                if target.trim().is_empty() {
                    r.push(r.error(r.value(at!["outcomes", k, "links", l]), "the link is blank"));
                }
                OutcomeLink { target, offset }
            })
            .collect();
        outcomes.push(Outcome { id, title, body, links, rule });
    }
    outcomes
}

/// SPEC: a dimension with fewer than three items is a warning (a score from one or two answers
/// says little).
fn warn_thin_dimensions(r: &mut Reporter, dimensions: &[Dimension], questions: &[Question]) {
    for (i, d) in dimensions.iter().enumerate() {
        let items = questions.iter().filter(|q| contributes_to(q, &d.id)).count();
        if items < 3 {
            r.push(
                r.warning(
                    r.value(at!["dimensions", i, "id"]),
                    format!(
                        "dimension `{}` has only {items} question{}",
                        d.id,
                        if items == 1 { "" } else { "s" }
                    ),
                )
                .with_hint("a score from fewer than three items says little; add questions that measure it"),
            );
        }
    }
}

/// Whether answering `question` can add to `dimension` (and so, for `mean`, counts in its
/// divisor): a scale item on it, or an option question with any option giving it points.
pub(crate) fn contributes_to(question: &Question, dimension: &str) -> bool {
    match &question.kind {
        QuestionKind::Scale { dimension: d, .. } => d == dimension,
        kind => kind.options().iter().any(|o| o.credit.points_for(dimension).is_some()),
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::quiz::testing::*;
    use crate::quiz::*;

    /// A knowledge quiz with these questions (YAML list items, indented by two).
    fn knowledge(questions: &str) -> String {
        format!("title: T\nmode: knowledge\nquestions:\n{questions}")
    }

    /// An assessment with two mean dimensions, three scale items each, these extra questions,
    /// and outcomes covering everything.
    fn assessment(extra_questions: &str) -> String {
        let mut src = String::from(
            "title: T\nmode: assessment\ndimensions:\n  - { id: closeness, aggregate: mean }\n  - { id: autonomy, aggregate: mean }\nquestions:\n",
        );
        for d in ["closeness", "autonomy"] {
            for _ in 0..3 {
                src += &format!("  - {{ type: scale, prompt: P, scale: agree5, dimension: {d} }}\n");
            }
        }
        src += extra_questions;
        src += "outcomes:\n  - { id: all, title: All, when: {} }\n";
        src
    }

    #[test]
    fn a_sound_quiz_has_defaults_filled_in() {
        let quiz = quiz(&knowledge(
            "  - type: truefalse\n    prompt: P\n    answer: true\n  - id: named\n    type: number\n    prompt: P\n    answer: 2\n",
        ));
        assert_eq!(quiz.id, "test");
        assert_eq!(quiz.questions[0].id, "q1");
        assert_eq!(quiz.questions[1].id, "named");
        assert!(quiz.questions[0].required);
        assert_eq!(quiz.questions[0].points, Some(1.0));
        assert_eq!(quiz.questions[1].kind, QuestionKind::Number { answer: 2.0, tolerance: 0.0 });
        assert_eq!(
            (quiz.display, quiz.shuffle, quiz.remember, quiz.weight),
            (Display::All, Shuffle::None, true, 0)
        );
        assert_eq!(quiz.mode, Mode::Knowledge { pass: None });
        assert_eq!(quiz.dimensions.len(), 1);
        assert_eq!(
            (quiz.dimensions[0].id.as_str(), quiz.dimensions[0].min, quiz.dimensions[0].max),
            ("score", 0.0, 100.0)
        );
    }

    #[test]
    fn ids_are_letters_digits_dashes_and_underscores() {
        // Issue 15.7: an outcome id with `"` passed and broke scoring in the browser.
        let src = knowledge(
            "  - { id: \"a b\", type: truefalse, prompt: P, answer: true }\n  - { id: größe_2-ok, type: truefalse, prompt: P, answer: true }\n",
        ) + "outcomes:\n  - { id: 'x\"]', title: X, when: { score: { min: 0 } } }\n";
        let p = find(&src, "the question id `a b` has characters an id cannot have");
        assert_eq!((p.line, p.column), (4, 11));
        assert!(p.hint.contains("e.g. `a-b`"), "{}", p.hint);
        let p = find(&src, "the outcome id `x\"]` has characters");
        assert_eq!(p.line, line_of(&src, "x\""));
        assert!(p.hint.contains("e.g. `x`"), "{}", p.hint);
        assert_eq!(errors(&src).len(), 2, "{:#?}", errors(&src));
        let src = assessment("").replace("id: autonomy,", "id: auto/nomy,");
        find(&src, "the dimension id `auto/nomy` has characters");
    }

    #[test]
    fn question_ids_must_be_unique_including_defaults() {
        let src = knowledge(
            "  - { id: a, type: truefalse, prompt: P, answer: true }\n  - { id: a, type: truefalse, prompt: P, answer: true }\n  - { id: q4, type: truefalse, prompt: P, answer: true }\n  - { type: truefalse, prompt: P, answer: true }\n",
        );
        let p = find(&src, "question id `a` is used twice");
        assert_eq!(p.line, 5);
        assert!(p.hint.contains("question 1 has it too"), "{}", p.hint);
        let p = find(&src, "question id `q4` is used twice");
        assert_eq!(p.line, 7, "the question without an id is the duplicate");
    }

    #[test]
    fn single_needs_exactly_one_correct_option() {
        let none =
            knowledge("  - type: single\n    prompt: P\n    options:\n      - text: a\n      - text: b\n");
        let p = find(&none, "has no correct option");
        assert_eq!(p.line, 6);
        assert!(p.hint.contains("correct: true"));
        let two = knowledge(
            "  - type: single\n    prompt: P\n    options:\n      - text: a\n        correct: true\n      - text: b\n        correct: true\n",
        );
        let p = find(&two, "has 2 correct options");
        assert_eq!(p.line, 10);
        assert!(p.hint.contains("type: multiple"));
    }

    #[test]
    fn multiple_needs_a_correct_and_a_wrong_option() {
        let none = knowledge("  - type: multiple\n    prompt: P\n    options: [{ text: a }, { text: b }]\n");
        assert_eq!(find(&none, "has no correct option").line, 6);
        let all = knowledge(
            "  - type: multiple\n    prompt: P\n    options:\n      - { text: a, correct: true }\n      - { text: b, correct: true }\n",
        );
        let p = find(&all, "every option of the multiple question is correct");
        assert_eq!(p.line, 6);
        assert!(p.hint.contains("add a wrong option"));
    }

    #[test]
    fn option_texts_must_differ() {
        let src = knowledge(
            "  - type: single\n    prompt: P\n    options:\n      - { text: Yes, correct: true }\n      - { text: No }\n      - { text: \" yes \" }\n",
        );
        let p = find(&src, "option 3 has the same text as option 1");
        assert_eq!((p.line, p.column), (9, 17));
    }

    #[test]
    fn fewer_than_two_options_is_an_error() {
        let src =
            knowledge("  - type: single\n    prompt: P\n    options:\n      - { text: a, correct: true }\n");
        assert_eq!(find(&src, "fewer than two options").line, 7);
    }

    #[test]
    fn accept_must_not_be_empty() {
        let src = knowledge("  - type: text\n    prompt: P\n    accept: []\n");
        let p = find(&src, "`accept` is empty");
        assert_eq!((p.line, p.column), (6, 13));
        let src = knowledge("  - type: text\n    prompt: P\n    accept: [ok, \"  \"]\n");
        assert_eq!(find(&src, "accepted answer is blank").line, 6);
        let src = knowledge("  - type: text\n    prompt: P\n");
        assert_eq!(find(&src, "has no `accept`").line, 4);
    }

    #[test]
    fn reverse_belongs_to_scales_only() {
        let src = assessment(
            "  - type: single\n    prompt: P\n    reverse: true\n    options:\n      - { text: a, points: { closeness: 1 } }\n      - { text: b, points: { closeness: 2 } }\n",
        );
        let p = find(&src, "`reverse` does not belong on a single question");
        assert_eq!((p.line, p.column), (line_of(&src, "reverse"), 5));
        assert!(p.hint.contains("only scale questions have it"), "{}", p.hint);
    }

    #[test]
    fn pass_must_be_a_percentage_of_a_knowledge_quiz() {
        let src = "title: T\nmode: knowledge\npass: 120\nquestions:\n  - { type: truefalse, prompt: P, answer: true }\n";
        let p = find(src, "outside 0–100");
        assert_eq!((p.line, p.column), (3, 7));
        let src = assessment("").replace("mode: assessment\n", "mode: assessment\npass: 50\n");
        let p = find(&src, "`pass` is for knowledge quizzes");
        assert_eq!(p.line, 3);
    }

    #[test]
    fn every_assessment_option_gives_points() {
        let src = assessment(
            "  - type: single\n    prompt: P\n    options:\n      - { text: a, points: { closeness: 1 } }\n      - text: b\n",
        );
        let p = find(&src, "the option gives no points");
        assert_eq!(p.line, line_of(&src, "- text: b"));
        let src = assessment(
            "  - type: single\n    prompt: P\n    options:\n      - { text: a, points: { closeness: 1 } }\n      - { text: b, points: {} }\n",
        );
        assert_eq!(find(&src, "the option gives no points").line, line_of(&src, "points: {}"));
    }

    #[test]
    fn referenced_dimensions_must_exist() {
        let src = assessment(
            "  - type: single\n    prompt: P\n    options:\n      - { text: a, points: { closenes: 1 } }\n      - { text: b, points: { closeness: 2 } }\n  - { type: scale, prompt: P, scale: agree5, dimension: autonomie }\n",
        )
        .replace("when: {}", "when: { trust: { min: 1 } }")
        + "  - { id: x, title: X, top: closness }\n";
        let p = find(&src, "no dimension `closenes`");
        assert_eq!((p.line, p.column), (line_of(&src, "closenes:"), line_of_col(&src, "closenes:")));
        assert!(p.hint.starts_with("did you mean `closeness`?"), "{}", p.hint);
        let p = find(&src, "no dimension `autonomie`");
        assert!(p.hint.starts_with("did you mean `autonomy`?"), "{}", p.hint);
        let p = find(&src, "no dimension `trust`");
        assert_eq!(p.line, line_of(&src, "trust"));
        assert!(p.hint.starts_with("declare it under `dimensions`"), "{}", p.hint);
        let p = find(&src, "no dimension `closness`");
        assert_eq!(p.line, line_of(&src, "closness"));
    }

    /// The 1-based column of the first occurrence of `needle` on its line.
    fn line_of_col(src: &str, needle: &str) -> usize {
        let at = src.find(needle).unwrap();
        let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
        src[line_start..at].chars().count() + 1
    }

    #[test]
    fn keys_that_belong_to_another_mode_or_type_are_errors_with_a_reason() {
        let src = assessment(
            "  - type: single\n    prompt: P\n    dimension: closeness\n    points: 2\n    options:\n      - { text: a, correct: true, points: { closeness: 1 } }\n      - { text: b, points: { closeness: 2 } }\n",
        );
        let p = find(&src, "`dimension` does not belong on a single question");
        assert_eq!(p.line, line_of(&src, "dimension: closeness\n    points"));
        assert!(p.hint.contains("belongs to scale questions"), "{}", p.hint);
        let p = find(&src, "`points` does not belong on a single question");
        assert!(p.hint.contains("points per dimension"), "{}", p.hint);
        let p = find(&src, "assessment options are not right or wrong");
        assert_eq!(p.line, line_of(&src, "correct: true"));

        let src = knowledge(
            "  - type: truefalse\n    prompt: P\n    answer: true\n    options: [{ text: a }]\n  - type: single\n    prompt: P\n    options:\n      - { text: a, correct: true, points: { x: 1 } }\n      - { text: b }\n",
        );
        let p = find(&src, "`options` does not belong on a truefalse question");
        assert_eq!(p.line, 7);
        let p = find(&src, "knowledge options have no `points`");
        assert_eq!(p.line, 11);
    }

    #[test]
    fn question_types_must_fit_the_mode() {
        let src = knowledge("  - { type: scale, prompt: P, scale: agree5, dimension: x }\n");
        let p = find(&src, "a scale question in a knowledge quiz");
        assert_eq!((p.line, p.column), (4, 13));
        let src = assessment("  - { type: text, prompt: P, accept: [a] }\n");
        assert_eq!(
            find(&src, "a knowledge question type in an assessment").line,
            line_of(&src, "type: text")
        );
    }

    #[test]
    fn scales_are_presets_or_ranges() {
        let src = assessment("  - { type: scale, prompt: P, scale: agre5, dimension: closeness }\n");
        let p = find(&src, "no scale preset `agre5`");
        assert!(p.hint.starts_with("did you mean `agree5`?"), "{}", p.hint);
        let src = assessment(
            "  - type: scale\n    prompt: P\n    dimension: closeness\n    scale: { min: 0, max: 2, labels: [never, sometimes] }\n",
        );
        assert_eq!(find(&src, "2 labels for the 3 values from 0 to 2").line, line_of(&src, "labels"));
        let src =
            assessment("  - { type: scale, prompt: P, scale: { min: 3, max: 1 }, dimension: closeness }\n");
        find(&src, "the scale runs from 3 to 1");
    }

    #[test]
    fn knowledge_points_and_scale_weights_are_positive() {
        let src = knowledge("  - { type: truefalse, prompt: P, answer: true, points: 0 }\n");
        assert_eq!(find(&src, "`points` must be a number above zero").line, 4);
        let src =
            assessment("  - { type: scale, prompt: P, scale: agree5, dimension: closeness, weight: -1 }\n");
        find(&src, "`weight` must be a number above zero");
        let src = knowledge("  - { type: number, prompt: P, answer: 1, tolerance: -0.5 }\n");
        find(&src, "`tolerance` must be zero or more");
        let src = knowledge("  - { type: number, prompt: P, answer: many }\n");
        find(&src, "answer must be a number");
        let src = knowledge("  - { type: truefalse, prompt: P, answer: \"yes\" }\n");
        find(&src, "must be `true` or `false`");
    }

    #[test]
    fn outcomes_have_when_or_top() {
        let both = assessment("").replace("when: {}", "when: {}, top: closeness");
        assert_eq!(find(&both, "has both `when` and `top`").line, line_of(&both, "top"));
        let neither = assessment("").replace(", when: {}", "");
        find(&neither, "has neither `when` nor `top`");
        let empty = assessment("").replace("when: {}", "when: { closeness: { min: 4, below: 2 } }");
        let p = find(&empty, "no score is at least 4 and below 2");
        assert_eq!(p.line, line_of(&empty, "{ min: 4"));
        let no_bound = assessment("").replace("when: {}", "when: { closeness: {} }");
        find(&no_bound, "neither `min` nor `below`");
        let twice = assessment("") + "  - { id: all, title: Again, when: {} }\n";
        assert_eq!(find(&twice, "outcome id `all` is used twice").line, line_of(&twice, "Again"));
    }

    #[test]
    fn an_assessment_needs_outcomes_and_dimensions_but_knowledge_needs_neither() {
        let src = assessment("");
        let no_outcomes = &src[..src.find("outcomes:").unwrap()];
        find(no_outcomes, "the assessment has no outcomes");
        quiz(&knowledge("  - { type: truefalse, prompt: P, answer: true }\n"));
        let src = "title: T\nmode: knowledge\ndimensions: [{ id: x }]\nquestions:\n  - { type: truefalse, prompt: P, answer: true }\n";
        assert_eq!(find(src, "a knowledge quiz has no `dimensions`").line, 3);
    }

    #[test]
    fn a_dimension_with_fewer_than_three_items_is_a_warning() {
        let src = assessment("")
            .replace("  - { type: scale, prompt: P, scale: agree5, dimension: autonomy }\n", "")
            + "";
        let src = src.replacen(
            "questions:\n",
            "questions:\n  - { type: scale, prompt: P, scale: agree5, dimension: autonomy }\n",
            1,
        );
        let p = find(&src, "dimension `autonomy` has only 1 question");
        assert_eq!(p.severity, Severity::Warning);
        assert_eq!(p.line, line_of(&src, "id: autonomy"));
        assert!(errors(&src).is_empty(), "{:#?}", errors(&src));
    }

    #[test]
    fn every_error_is_reported_not_just_the_first() {
        let src = knowledge(
            "  - type: single\n    prompt: P\n    options: [{ text: a }, { text: b }]\n  - type: multiple\n    prompt: P\n    options: [{ text: a, correct: true }, { text: a }]\n  - type: text\n    prompt: P\n    accept: []\n  - { id: q1, type: number, prompt: P, answer: 1, reverse: true }\n",
        );
        let messages: Vec<String> =
            errors(&src).into_iter().map(|p| format!("{}: {}", p.line, p.message)).collect();
        assert_eq!(
            messages,
            [
                "13: question id `q1` is used twice",
                "6: the single question has no correct option",
                "9: option 2 has the same text as option 1",
                "12: `accept` is empty: no answer could be right",
                "13: `reverse` does not belong on a number question",
            ],
            "{messages:#?}"
        );
    }
}

#[cfg(test)]
mod limit_tests {
    use crate::quiz::testing::errors;

    #[test]
    fn huge_numbers_are_errors_not_crashes() {
        let scale = "title: T\nmode: assessment\ndimensions: [{ id: d }]\nquestions:\n  - { type: scale, prompt: P, dimension: d, reverse: true, scale: { min: -9223372036854775808, max: 9223372036854775807 } }\noutcomes:\n  - { id: o, title: O, when: {} }\n";
        assert!(
            errors(scale).iter().any(|p| p.message.contains("the scale runs from")),
            "{:#?}",
            errors(scale)
        );
        let points = "title: T\nmode: knowledge\nquestions:\n  - { type: truefalse, prompt: P, answer: true, points: 1e308 }\n  - { type: truefalse, prompt: Q, answer: true, points: 1e308 }\n";
        let found = errors(points);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().all(|p| p.message.contains("at most")), "{found:#?}");
    }
}
