//! What `single` and `multiple` share: options, checked, with their credit by mode, and how a
//! pick of options reads, adds points, and shows.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::super::common::{Markdown, Mode, Rendering};
use super::super::json::Num;
use super::super::locate::{Seg, at};
use super::super::raw::{QuestionType, RawOption};
use super::super::report::{MAX_POINTS, Reporter, check_dimension_ref, non_blank};
use super::super::text::normalize;
use super::{Additions, Cx};
use crate::diagnostic::Diagnostic;

/// An option of a single or multiple question.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Inline Markdown.
    pub text: Markdown,
    pub feedback: Option<Markdown>,
    pub credit: Credit,
}

/// What picking an option does, by mode.
#[derive(Debug, Clone, PartialEq)]
pub enum Credit {
    /// Knowledge: whether the option is right.
    Correct(bool),
    /// Assessment: points per dimension id, in the quiz's dimension order. Never empty.
    Points(Vec<(String, f64)>),
}

impl Credit {
    pub fn is_correct(&self) -> bool {
        matches!(self, Credit::Correct(true))
    }

    /// The points this option gives `dimension`, if it names it.
    pub fn points_for(&self, dimension: &str) -> Option<f64> {
        match self {
            Credit::Points(points) => points.iter().find(|(d, _)| d == dimension).map(|(_, p)| *p),
            Credit::Correct(_) => None,
        }
    }
}

/// The options of question `cx.i`, each checked, with every problem reported.
pub(crate) fn check_options(cx: &mut Cx, kind: QuestionType, raw: Option<Vec<RawOption>>) -> Vec<Choice> {
    let (i, mode, dimensions) = (cx.i, cx.mode, cx.dimensions);
    let r = &mut *cx.r;
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
        if let Mode::Knowledge { .. } = mode
            && let Some(phrase) = catch_all(&text)
        {
            r.push(lint_catch_all(r, text_path, j, phrase, kind));
        }
        options.push(Choice { text: Markdown { text, offset: r.value(text_path).offset }, feedback, credit });
    }
    options
}

/// SPEC §3.4: an option "all of the above" or "none of the above" (in any case, spacing or
/// accents), which tests whether a reader weighed the other options rather than the topic.
fn catch_all(text: &str) -> Option<&'static str> {
    let plain = normalize(text);
    let plain = plain.trim_matches(|c: char| !c.is_alphanumeric());
    ["all of the above", "none of the above", "all the above", "none of these", "all of these"]
        .into_iter()
        .find(|phrase| plain.contains(phrase))
}

/// The warning for option `j` worded as `phrase`, with the fix for this question type.
fn lint_catch_all(r: &Reporter, text_path: &[Seg], j: usize, phrase: &str, kind: QuestionType) -> Diagnostic {
    let fix = match kind {
        QuestionType::Multiple => {
            "in a multiple question readers can already pick every right option, so remove it"
        }
        QuestionType::Single
        | QuestionType::TrueFalse
        | QuestionType::Scale
        | QuestionType::Text
        | QuestionType::Number
        | QuestionType::Order
        | QuestionType::Match
        | QuestionType::Cloze => {
            "replace it with a specific answer, or, if several options are right, make the question \
             `type: multiple` and mark each of them `correct: true`"
        }
    };
    r.warning(r.value(text_path), format!("option {} is \"{phrase}\"", j + 1)).with_hint(format!(
        "it tests whether a reader weighed the other options rather than the topic, and reads oddly once \
         options are shuffled; {fix}"
    ))
}

/// The options' Markdown: texts inline, feedback as blocks.
pub(crate) fn markdown(options: &[Choice]) -> Vec<(&Markdown, Rendering)> {
    let mut all = Vec::new();
    for o in options {
        all.push((&o.text, Rendering::Inline));
        all.extend(o.feedback.iter().map(|m| (m, Rendering::Block)));
    }
    all
}

/// The indices of the correct options.
pub(crate) fn correct(options: &[Choice]) -> Vec<usize> {
    (0..options.len()).filter(|&j| options[j].credit.is_correct()).collect()
}

/// Whether any option gives `dimension` points (so, for `mean`, answering counts in its divisor).
pub(crate) fn contributes_to(options: &[Choice], dimension: &str) -> bool {
    options.iter().any(|o| o.credit.points_for(dimension).is_some())
}

/// What picking `picked` (distinct, ascending) adds: per dimension the question contributes to,
/// each pick's points in index order, and weight 1.
pub(crate) fn additions(options: &[Choice], picked: &[usize], dimensions: &[&str]) -> Additions {
    let mut out = Additions::default();
    for (d, dimension) in dimensions.iter().enumerate() {
        if !contributes_to(options, dimension) {
            continue;
        }
        out.totals
            .extend(picked.iter().filter_map(|&i| options[i].credit.points_for(dimension)).map(|p| (d, p)));
        out.weights.push((d, 1.0));
    }
    out
}

/// The points each option gives `dimension` (0 where it names none).
pub(crate) fn points(options: &[Choice], dimension: &str) -> Vec<f64> {
    options.iter().map(|o| o.credit.points_for(dimension).unwrap_or(0.0)).collect()
}

/// An option as the browser scores it.
#[derive(Debug, Serialize)]
pub struct ClientOption<'q> {
    /// Knowledge: whether it is right (always false in assessment).
    pub correct: bool,
    /// Assessment: points per dimension id (empty in knowledge).
    pub points: BTreeMap<&'q str, Num>,
}

pub(crate) fn client_options(options: &[Choice]) -> Vec<ClientOption<'_>> {
    options
        .iter()
        .map(|o| ClientOption {
            correct: o.credit.is_correct(),
            points: match &o.credit {
                Credit::Points(points) => points.iter().map(|(d, p)| (d.as_str(), Num(*p))).collect(),
                Credit::Correct(_) => BTreeMap::new(),
            },
        })
        .collect()
}

/// An option as the template shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionView {
    /// The 0-based index in the YAML, as the input's `value`.
    pub value: String,
    /// Inline Markdown, rendered.
    pub text_html: String,
    pub feedback_html: String,
    /// Knowledge: whether it is right. Always false in assessment.
    pub correct: bool,
}

pub(crate) fn option_views(options: &[Choice], md: &dyn Fn(&str, bool) -> String) -> Vec<OptionView> {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| OptionView {
            value: i.to_string(),
            text_html: md(&o.text.text, true),
            feedback_html: o.feedback.as_ref().map_or_else(String::new, |f| md(&f.text, false)),
            correct: o.credit.is_correct(),
        })
        .collect()
}

/// The review's "right answer": the correct options, as shown.
pub(crate) fn right_answer_html(views: &[OptionView]) -> String {
    views.iter().filter(|o| o.correct).map(|o| o.text_html.as_str()).collect::<Vec<_>>().join(", ")
}
