//! From the quiz as written ([`super::raw`]) to the validated model ([`super::model`]): every
//! rule of SPEC §3 that can be judged one question or outcome at a time, each broken rule
//! reported at the YAML node that breaks it, all of them in one pass.
//!
//! What needs the whole score space (gaps, overlaps, unreachable outcomes, unfair `top`
//! comparisons) is [`super::analysis`]'s.

use std::collections::HashMap;

use super::kinds::{self, Cx};
use super::locate::at;
use super::model::*;
use super::raw::*;
use super::report::{Reporter, check_dimension_ref, check_id, check_positive, non_blank};

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
    let draw = check_draw(r, mode, raw.draw, raw.questions.len());
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
        // SPEC §3: a self-assessment may be answered on a shared device, so it keeps nothing
        // unless its author says so.
        remember: raw.remember.unwrap_or(matches!(mode, Mode::Knowledge { .. })),
        practice: check_practice(r, mode, raw.practice),
        share: raw.share.unwrap_or(true),
        disclaimer: markdown(r, raw.disclaimer, "disclaimer"),
        weight: raw.weight.unwrap_or(0),
        dimensions,
        questions,
        outcomes,
        hash,
        draw,
    };
    (r.error_count() == errors_before).then_some(quiz)
}

/// SPEC §3.2: `draw` is for knowledge quizzes, at least 1 and at most the number of questions.
fn check_draw(r: &mut Reporter, mode: Mode, draw: Option<i64>, questions: usize) -> Option<usize> {
    let draw = draw?;
    let span = r.value(at!["draw"]);
    if mode == Mode::Assessment {
        r.push(r.error(r.key(at!["draw"]), "`draw` is for knowledge quizzes").with_hint(
            "every reader of an assessment must answer the same items for the outcomes to mean the same; \
             remove `draw`",
        ));
        return None;
    }
    if draw < 1 {
        r.push(
            r.error(span, format!("`draw: {draw}` gives each reader no questions"))
                .with_hint("`draw` is how many of the questions each reader gets: at least 1, or remove it"),
        );
        return None;
    }
    if draw as usize > questions {
        r.push(
            r.error(span, format!("`draw: {draw}` is more than the quiz's {questions} questions")).with_hint(
                format!(
                    "each reader gets `draw` of the questions: use at most {questions}, or add questions"
                ),
            ),
        );
        return None;
    }
    Some(draw as usize)
}

fn check_practice(r: &mut Reporter, mode: Mode, practice: Option<bool>) -> bool {
    match mode {
        Mode::Knowledge { .. } => practice.unwrap_or(false),
        Mode::Assessment => {
            if practice.is_some() {
                r.push(r.error(r.key(at!["practice"]), "`practice` is for knowledge quizzes").with_hint(
                    "practice checks each answer against the right one, and an assessment has none; remove `practice`",
                ));
            }
            false
        }
    }
}

/// A question's `tests` link: a relative path to a guide with the `#anchor` of the section the
/// question checks. Whether the file and heading exist is the build's to say (it knows the site).
fn check_tests(r: &mut Reporter, mode: Mode, i: usize, tests: Option<String>) -> Option<SectionLink> {
    let tests = tests?;
    let span = r.value(at!["questions", i, "tests"]);
    if mode == Mode::Assessment {
        r.push(r.error(r.key(at!["questions", i, "tests"]), "`tests` is for knowledge questions").with_hint(
            "`tests` links a question to the section it checks, and sends a reader who missed it back there; \
             an assessment question has no wrong answer to miss. Remove `tests`",
        ));
        return None;
    }
    let target = tests.trim();
    let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
    let problem = if file.is_empty() {
        Some("`tests` needs the guide's file, not just an anchor")
    } else if anchor.is_empty() {
        Some("`tests` needs the `#anchor` of the section the question checks")
    } else if crate::markdown::links::is_external(target) {
        Some("`tests` must link to a guide of this site, not to another site")
    } else {
        None
    };
    if let Some(message) = problem {
        r.push(r.error(span, message).with_hint(
            "write the guide's path relative to this quiz and the heading's id, e.g. \
             `tests: ../guides/boundaries.md#saying-no`",
        ));
        return None;
    }
    Some(SectionLink {
        file: file.to_string(),
        anchor: anchor.to_string(),
        offset: span.offset,
        len: span.len,
    })
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

/// Why `key` does not belong on a `kind` question in `mode`, and what to do instead.
fn misplaced_key_hint(mode: Mode, kind: QuestionType, key: &str) -> String {
    let takes = kinds::keys(kind, mode).iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let specific = match (key, mode) {
        ("reverse", _) => "`reverse` mirrors a scale item's value; only scale questions have it".to_string(),
        ("points", Mode::Assessment) => {
            "in an assessment, each option gives points per dimension: `points: { closeness: 2 }` on the option"
                .to_string()
        }
        ("dimension" | "weight" | "scale", _) => format!("`{key}` belongs to scale questions"),
        ("partial", Mode::Assessment) => "partial credit is for knowledge quizzes".to_string(),
        ("partial", _) => "partial credit is for multiple, order, match and cloze questions".to_string(),
        ("options", _) => "only single and multiple questions have options".to_string(),
        ("accept", _) => "only text questions have `accept`".to_string(),
        ("tolerance", _) => "only number questions have a `tolerance`".to_string(),
        ("items", _) => "only order questions have `items`".to_string(),
        ("pairs" | "distractors", _) => format!("only match questions have `{key}`"),
        ("blanks", _) => "only cloze questions have `blanks`".to_string(),
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
        ("items", q.items.is_some()),
        ("pairs", q.pairs.is_some()),
        ("distractors", q.distractors.is_some()),
        ("blanks", q.blanks.is_some()),
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
    mut q: RawQuestion,
) -> Option<Question> {
    let errors_before = r.error_count();
    // A type takes no keys in a mode it does not fit.
    let allowed = kinds::keys(q.kind, mode);
    if allowed.is_empty() {
        let name = q.kind.name();
        let (message, hint) = match mode {
            Mode::Knowledge { .. } => (
                format!("a {name} question in a knowledge quiz"),
                format!("{name} items have no right answer; use them in `mode: assessment`"),
            ),
            Mode::Assessment => (
                "a knowledge question type in an assessment".to_string(),
                format!(
                    "{name} questions have right answers; an assessment uses single, multiple and scale questions"
                ),
            ),
        };
        r.push(r.error(r.value(at!["questions", i, "type"]), message).with_hint(hint));
        return None;
    }

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
    let prompt = non_blank(
        r,
        std::mem::take(&mut q.prompt),
        at!["questions", i, "prompt"],
        "the question needs a prompt",
    );
    let points = match mode {
        Mode::Knowledge { .. } => Some(check_positive(r, q.points, at!["questions", i, "points"], "points")),
        Mode::Assessment => None,
    };

    let kind =
        QuestionKind::check(&mut Cx { r: &mut *r, mode, dimensions, i, prompt: &prompt }, q.kind, &mut q);

    let explanation = q
        .explanation
        .map(|text| Markdown { text, offset: r.value(at!["questions", i, "explanation"]).offset });
    let hint = q.hint.map(|text| Markdown { text, offset: r.value(at!["questions", i, "hint"]).offset });
    let tests = check_tests(r, mode, i, q.tests.take());
    let question = Question {
        id,
        prompt: Markdown { text: prompt, offset: prompt_span.offset },
        required: q.required.unwrap_or(true),
        explanation,
        hint,
        tests,
        points,
        kind,
    };
    (r.error_count() == errors_before).then_some(question)
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
        let otherwise = o.otherwise == Some(true);
        let rule = match (o.when, o.top, otherwise) {
            (when, top, true) => {
                for (key, present) in [("when", when.is_some()), ("top", top.is_some())] {
                    if present {
                        r.push(
                            r.error(
                                r.key(at!["outcomes", k, key]),
                                format!("an `otherwise` outcome has no `{key}`"),
                            )
                            .with_hint(
                                "`otherwise` takes every score that no other outcome takes; remove \
                                     `otherwise: true`, or remove this rule",
                            ),
                        );
                    }
                }
                OutcomeRule::Otherwise
            }
            (None, None, false) => {
                let first = dimensions.first().unwrap_or(&"score");
                r.push(
                    r.error(r.value(at!["outcomes", k]), "the outcome has neither `when` nor `top`").with_hint(
                        format!(
                            "say when it is the result, e.g. `when: {{ {first}: {{ min: 3 }} }}` or `top: {first}`; \
                             the last outcome can instead be `otherwise: true`"
                        ),
                    ),
                );
                OutcomeRule::When(Vec::new())
            }
            (when, None, false) => {
                OutcomeRule::When(check_bounds(r, dimensions, k, when.unwrap_or_default()))
            }
            (when, Some(top), false) => {
                check_dimension_ref(r, dimensions, &top, r.value(at!["outcomes", k, "top"]));
                OutcomeRule::Top {
                    dimension: top,
                    when: check_bounds(r, dimensions, k, when.unwrap_or_default()),
                }
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
    check_otherwise_is_last(r, &outcomes);
    outcomes
}

/// SPEC §3.3: `otherwise` is the last outcome, and there is at most one.
fn check_otherwise_is_last(r: &mut Reporter, outcomes: &[Outcome]) {
    let last = outcomes.len().saturating_sub(1);
    let mut first: Option<usize> = None;
    for (k, o) in outcomes.iter().enumerate() {
        if o.rule != OutcomeRule::Otherwise {
            continue;
        }
        let span = r.key(at!["outcomes", k, "otherwise"]);
        if let Some(first) = first {
            r.push(r.error(span, format!("outcome `{}` is a second `otherwise`", o.id)).with_hint(format!(
                "only one outcome can take the scores no other takes, and `{}` already does; give this one a \
                 `when` or a `top`, or remove it",
                outcomes[first].id
            )));
        } else if k != last {
            r.push(
                r.error(span, format!("the `otherwise` outcome `{}` is not the last one", o.id)).with_hint(
                    format!(
                        "`otherwise` takes every score the outcomes before it leave, so none after it could \
                         ever be the result; move `{}` to the end of `outcomes`",
                        o.id
                    ),
                ),
            );
        }
        first.get_or_insert(k);
    }
}

/// An outcome's `when`, each bound checked, in dimension order.
fn check_bounds(
    r: &mut Reporter,
    dimensions: &[&str],
    k: usize,
    when: std::collections::BTreeMap<String, RawBound>,
) -> Vec<Bound> {
    let mut bounds = Vec::new();
    for (dimension, bound) in when {
        let path = at!["outcomes", k, "when", dimension.as_str()];
        check_dimension_ref(r, dimensions, &dimension, r.key(path));
        let bound_span = r.value(path);
        match (bound.min, bound.below) {
            (None, None) => r.push(
                r.error(bound_span, format!("the bound on `{dimension}` has neither `min` nor `below`"))
                    .with_hint("give `min`, `below` or both: `{ min: 2, below: 3.5 }` means 2 ≤ score < 3.5"),
            ),
            (Some(min), Some(below)) if min >= below => r.push(
                r.error(bound_span, format!("no score is at least {min} and below {below}"))
                    .with_hint("`min` must be less than `below`; the range is min ≤ score < below"),
            ),
            (min, below) if !min.unwrap_or(0.0).is_finite() || !below.unwrap_or(0.0).is_finite() => r.push(
                r.error(bound_span, "bounds must be finite numbers")
                    .with_hint("leave a bound out to leave it open"),
            ),
            _ => {}
        }
        bounds.push(Bound { dimension, min: bound.min, below: bound.below });
    }
    bounds.sort_by_key(|b| dimensions.iter().position(|d| *d == b.dimension));
    bounds
}

/// SPEC: a dimension with fewer than three items is a warning (a score from one or two answers
/// says little).
fn warn_thin_dimensions(r: &mut Reporter, dimensions: &[Dimension], questions: &[Question]) {
    for (i, d) in dimensions.iter().enumerate() {
        let items = questions.iter().filter(|q| q.contributes_to(&d.id)).count();
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

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::quiz::testing::*;
    use crate::quiz::*;

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
        assert_eq!(quiz.questions[1].kind, QuestionKind::Number(Number { answer: 2.0, tolerance: 0.0 }));
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
            "  - { id: \"a b\", type: truefalse, prompt: P, answer: true }\n  - { id: Q_2-ok, type: truefalse, prompt: P, answer: true }\n  - { id: größe, type: truefalse, prompt: P, answer: true }\n",
        ) + "outcomes:\n  - { id: 'x\"]', title: X, when: { score: { min: 0 } } }\n";
        let p = find(&src, "the question id `a b` has characters an id cannot have");
        assert_eq!((p.line, p.column), (4, 11));
        assert!(p.hint.contains("e.g. `a-b`"), "{}", p.hint);
        let p = find(&src, "the outcome id `x\"]` has characters");
        assert_eq!(p.line, line_of(&src, "x\""));
        assert!(p.hint.contains("e.g. `x`"), "{}", p.hint);
        let p = find(&src, "the question id `größe` has characters");
        assert!(p.hint.contains("e.g. `gro-e`"), "{}", p.hint);
        assert_eq!(errors(&src).len(), 3, "{:#?}", errors(&src));
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
        // SPEC §3.3: `top` and `when` together, both must hold (the analysis tests what they cover).
        let both = assessment("").replace(
            "  - { id: all, title: All, when: {} }\n",
            "  - { id: close, title: C, top: closeness, when: { autonomy: { min: 2 } } }\n  - { id: rest, title: R, otherwise: true }\n",
        );
        let quiz = quiz(&both);
        assert_eq!(
            quiz.outcomes[0].rule,
            OutcomeRule::Top {
                dimension: "closeness".into(),
                when: vec![Bound { dimension: "autonomy".into(), min: Some(2.0), below: None }]
            }
        );
        assert_eq!(quiz.outcomes[1].rule, OutcomeRule::Otherwise);
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
    fn otherwise_is_last_at_most_once_and_has_no_rule() {
        let outcomes = |list: &str| assessment("").replace("  - { id: all, title: All, when: {} }\n", list);
        let first =
            outcomes("  - { id: rest, title: R, otherwise: true }\n  - { id: all, title: All, when: {} }\n");
        let p = find(&first, "the `otherwise` outcome `rest` is not the last one");
        assert_eq!((p.severity, p.line, p.column), (Severity::Error, line_of(&first, "otherwise"), 27));
        assert!(p.hint.contains("move `rest` to the end of `outcomes`"), "{}", p.hint);
        let twice = outcomes(
            "  - { id: all, title: All, when: { closeness: { min: 3 } } }\n  - { id: one, title: O, otherwise: true }\n  - { id: two, title: T, otherwise: true }\n",
        );
        let p = find(&twice, "outcome `two` is a second `otherwise`");
        assert_eq!(p.line, line_of(&twice, "id: two"));
        assert!(p.hint.contains("`one` already does"), "{}", p.hint);
        // The first of the two is not last either: both mistakes are reported, once each.
        find(&twice, "the `otherwise` outcome `one` is not the last one");
        assert_eq!(errors(&twice).len(), 2, "{:#?}", errors(&twice));
        let ruled = outcomes(
            "  - { id: all, title: All, when: { closeness: { min: 3 } } }\n  - { id: rest, title: R, otherwise: true, top: autonomy }\n",
        );
        let p = find(&ruled, "an `otherwise` outcome has no `top`");
        assert_eq!(p.line, line_of(&ruled, "id: rest"));
        // `otherwise: false` is no `otherwise`: the outcome needs a rule.
        find(&outcomes("  - { id: all, title: All, otherwise: false }\n"), "has neither `when` nor `top`");
    }

    #[test]
    fn draw_is_a_knowledge_count_within_the_questions() {
        let two = "  - { type: truefalse, prompt: P, answer: true }\n".repeat(2);
        let quiz_with = |draw: &str| format!("title: T\nmode: knowledge\ndraw: {draw}\nquestions:\n{two}");
        assert_eq!(quiz(&quiz_with("2")).draw, Some(2));
        assert_eq!(quiz(&knowledge(&two)).draw, None);
        for (draw, message) in [
            ("0", "`draw: 0` gives each reader no questions"),
            ("-1", "`draw: -1` gives each reader no questions"),
            ("3", "`draw: 3` is more than the quiz's 2 questions"),
        ] {
            let src = quiz_with(draw);
            let p = find(&src, message);
            assert_eq!((p.severity, p.line, p.column), (Severity::Error, 3, 7), "{draw}");
        }
        let p = find(&quiz_with("1.5"), "invalid type");
        assert_eq!(p.line, 3);
        let src = assessment("").replacen("questions:", "draw: 2\nquestions:", 1);
        let p = find(&src, "`draw` is for knowledge quizzes");
        assert_eq!(p.line, line_of(&src, "draw"));
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
mod teaching_tests {
    use crate::diagnostic::Severity;
    use crate::quiz::testing::*;

    #[test]
    fn remember_defaults_to_on_for_knowledge_and_off_for_assessments() {
        let k = quiz(&knowledge("  - { type: truefalse, prompt: P, answer: true }\n"));
        assert!(k.remember);
        assert!(
            !quiz(&assessment("")).remember,
            "a self-assessment keeps nothing on a shared device by default"
        );
        let kept = assessment("").replace("mode: assessment\n", "mode: assessment\nremember: true\n");
        assert!(quiz(&kept).remember);
    }

    #[test]
    fn practice_share_hint_and_tests_are_read() {
        let src = knowledge(
            "  - type: truefalse\n    prompt: P\n    answer: true\n    hint: Think of **you**.\n    tests: ../guides/boundaries.md#saying-no\n",
        )
        .replace("mode: knowledge\n", "mode: knowledge\npractice: true\nshare: false\n");
        let q = quiz(&src);
        assert!(q.practice && !q.share);
        let question = &q.questions[0];
        assert_eq!(question.hint.as_ref().map(|m| m.text.as_str()), Some("Think of **you**."));
        let tests = question.tests.as_ref().unwrap();
        assert_eq!((tests.file.as_str(), tests.anchor.as_str()), ("../guides/boundaries.md", "saying-no"));
        assert_eq!(&src[tests.offset..tests.offset + tests.len], "../guides/boundaries.md#saying-no");
        assert!(q.markdown().iter().any(|(m, _)| m.text == "Think of **you**."), "the hint is rendered");
        let defaults = quiz(&knowledge("  - { type: truefalse, prompt: P, answer: true }\n"));
        assert!(!defaults.practice && defaults.share);
    }

    #[test]
    fn practice_and_tests_are_for_knowledge_quizzes() {
        let src = assessment("").replace("mode: assessment\n", "mode: assessment\npractice: true\n");
        let p = find(&src, "`practice` is for knowledge quizzes");
        assert_eq!(p.line, line_of(&src, "practice:"));
        let src = assessment(
            "  - { type: scale, prompt: P, scale: agree5, dimension: autonomy, tests: ../g.md#a }\n",
        );
        let p = find(&src, "`tests` is for knowledge questions");
        assert_eq!(p.line, line_of(&src, "tests:"));
        // A hint helps in either mode.
        quiz(&assessment(
            "  - { type: scale, prompt: P, scale: agree5, dimension: autonomy, hint: Think of last week. }\n",
        ));
    }

    #[test]
    fn a_tests_link_needs_a_file_and_an_anchor_of_this_site() {
        for (tests, message) in [
            ("../guides/boundaries.md", "needs the `#anchor`"),
            ("'#saying-no'", "needs the guide's file"),
            ("https://example.com/a.md#b", "not to another site"),
        ] {
            let src =
                knowledge(&format!("  - {{ type: truefalse, prompt: P, answer: true, tests: {tests} }}\n"));
            let p = find(&src, message);
            assert_eq!((p.severity, p.line), (Severity::Error, 4), "{tests}");
            assert!(p.hint.contains("tests: ../guides/boundaries.md#saying-no"), "{}", p.hint);
        }
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
