//! One module per question type (SPEC §3, §3.1). Each holds what the type is in the model, its
//! checks, how it reads an answer, what it earns (knowledge) or adds (assessment), the answers
//! it can be given (for the soundness proof), its client data and its template view. This file
//! only dispatches, with exhaustive matches (`clippy::wildcard_enum_match_arm` is denied in the
//! quiz module), so a new type is a list of compile errors here and nowhere else in Rust.

pub mod choice;
pub mod multiple;
pub mod number;
pub mod scale;
pub mod single;
pub mod text;
pub mod truefalse;

use serde::Serialize;

pub use choice::{Choice, ClientOption, Credit, OptionView};
pub use multiple::Multiple;
pub use number::Number;
pub use scale::{Scale, ScaleItem, ScalePoint, ScaleView};
pub use single::Single;
pub use text::Text;
pub use truefalse::TrueFalse;

use super::answer::Answer;
use super::common::{Markdown, Mode, Rendering};
use super::raw::{QuestionType, RawQuestion};
use super::report::Reporter;

/// A question's type, with the fields of that type.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    Single(Single),
    Multiple(Multiple),
    TrueFalse(TrueFalse),
    Scale(ScaleItem),
    Text(Text),
    Number(Number),
}

/// What a type's checks get: where to report, the mode, the declared dimensions, and the
/// question's index in `questions`.
pub(crate) struct Cx<'c, 'a> {
    pub r: &'c mut Reporter<'a>,
    pub mode: Mode,
    pub dimensions: &'c [&'c str],
    pub i: usize,
}

/// What a knowledge question earned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub correct: bool,
    pub earned: f64,
}

impl QuestionResult {
    pub(crate) fn all_or_nothing(right: bool, points: f64) -> Self {
        QuestionResult { correct: right, earned: if right { points } else { 0.0 } }
    }
}

/// What answering an assessment question adds, in the order the scorer adds it: amounts to
/// dimension totals, and weights to the divisors of `mean` (dimensions by index in the quiz).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Additions {
    pub totals: Vec<(usize, f64)>,
    pub weights: Vec<(usize, f64)>,
}

/// A type's client data (contract §1), tagged by its YAML name.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ClientKind<'q> {
    Single(single::Client<'q>),
    Multiple(multiple::Client<'q>),
    #[serde(rename = "truefalse")]
    TrueFalse(truefalse::Client),
    Scale(scale::Client<'q>),
    Text(text::Client),
    Number(number::Client),
}

/// A type's part of the template view (contract §4); what does not apply is empty or null.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KindView {
    /// Single and multiple.
    pub options: Vec<OptionView>,
    /// Knowledge: the right answer as the review shows it; `""` for assessment, and for
    /// truefalse, whose `answer` the template words itself.
    pub answer_html: String,
    /// Scale only.
    pub scale: Option<ScaleView>,
    /// truefalse: `true`/`false`; number: the number; otherwise null.
    pub answer: serde_json::Value,
    /// Number only.
    pub tolerance: Option<f64>,
    /// Scale only: the range of values.
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Multiple (knowledge): partial credit.
    pub partial: bool,
}

/// The keys type `t` takes in `mode` beyond `id`, `type`, `prompt`, `required` and
/// `explanation`; empty where the type does not fit the mode.
pub(crate) fn keys(t: QuestionType, mode: Mode) -> &'static [&'static str] {
    match t {
        QuestionType::Single => single::keys(mode),
        QuestionType::Multiple => multiple::keys(mode),
        QuestionType::TrueFalse => truefalse::keys(mode),
        QuestionType::Scale => scale::keys(mode),
        QuestionType::Text => text::keys(mode),
        QuestionType::Number => number::keys(mode),
    }
}

impl QuestionKind {
    /// Checks the fields of type `t` on question `cx.i`, reporting every problem.
    pub(crate) fn check(cx: &mut Cx, t: QuestionType, q: &mut RawQuestion) -> QuestionKind {
        match t {
            QuestionType::Single => QuestionKind::Single(Single::check(cx, q)),
            QuestionType::Multiple => QuestionKind::Multiple(Multiple::check(cx, q)),
            QuestionType::TrueFalse => QuestionKind::TrueFalse(TrueFalse::check(cx, q)),
            QuestionType::Scale => QuestionKind::Scale(ScaleItem::check(cx, q)),
            QuestionType::Text => QuestionKind::Text(Text::check(cx, q)),
            QuestionType::Number => QuestionKind::Number(Number::check(cx, q)),
        }
    }

    /// The type's name as written in YAML.
    pub fn name(&self) -> &'static str {
        self.question_type().name()
    }

    pub fn question_type(&self) -> QuestionType {
        match self {
            QuestionKind::Single(_) => QuestionType::Single,
            QuestionKind::Multiple(_) => QuestionType::Multiple,
            QuestionKind::TrueFalse(_) => QuestionType::TrueFalse,
            QuestionKind::Scale(_) => QuestionType::Scale,
            QuestionKind::Text(_) => QuestionType::Text,
            QuestionKind::Number(_) => QuestionType::Number,
        }
    }

    /// The Markdown the type adds to its question's (prompt and explanation are shared).
    pub fn markdown(&self) -> Vec<(&Markdown, Rendering)> {
        match self {
            QuestionKind::Single(k) => choice::markdown(&k.options),
            QuestionKind::Multiple(k) => choice::markdown(&k.options),
            QuestionKind::TrueFalse(_)
            | QuestionKind::Scale(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_) => Vec::new(),
        }
    }

    /// Whether answering can add to `dimension` (and so, for `mean`, counts in its divisor).
    pub fn contributes_to(&self, dimension: &str) -> bool {
        match self {
            QuestionKind::Single(k) => choice::contributes_to(&k.options, dimension),
            QuestionKind::Multiple(k) => choice::contributes_to(&k.options, dimension),
            QuestionKind::Scale(k) => k.dimension == dimension,
            QuestionKind::TrueFalse(_) | QuestionKind::Text(_) | QuestionKind::Number(_) => false,
        }
    }

    /// Knowledge: what `answer` earns out of `points`, or `None` when it is absent or does not
    /// fit (unanswered).
    pub(crate) fn earn(&self, answer: Option<&Answer>, points: f64) -> Option<QuestionResult> {
        let answer = answer?;
        match self {
            QuestionKind::Single(k) => k.read(answer).map(|a| k.earn(a, points)),
            QuestionKind::Multiple(k) => k.read(answer).map(|a| k.earn(&a, points)),
            QuestionKind::TrueFalse(k) => k.read(answer).map(|a| k.earn(a, points)),
            QuestionKind::Text(k) => k.read(answer).map(|a| k.earn(a, points)),
            QuestionKind::Number(k) => k.read(answer).map(|a| k.earn(a, points)),
            // Not a knowledge type (check refuses it there).
            QuestionKind::Scale(_) => None,
        }
    }

    /// Assessment: what `answer` adds, or `None` when it is absent or does not fit.
    pub(crate) fn add(&self, answer: Option<&Answer>, dimensions: &[&str]) -> Option<Additions> {
        let answer = answer?;
        match self {
            QuestionKind::Single(k) => k.read(answer).map(|a| k.add(a, dimensions)),
            QuestionKind::Multiple(k) => k.read(answer).map(|a| k.add(&a, dimensions)),
            QuestionKind::Scale(k) => k.read(answer).map(|a| k.add(a, dimensions)),
            // Not assessment types (check refuses them there).
            QuestionKind::TrueFalse(_) | QuestionKind::Text(_) | QuestionKind::Number(_) => None,
        }
    }

    /// Knowledge: every amount the question can earn out of `points` (0 always among them: a
    /// wrong answer always exists).
    pub(crate) fn can_earn(&self, points: f64) -> Vec<f64> {
        match self {
            QuestionKind::Multiple(k) => k.can_earn(points),
            QuestionKind::Single(_)
            | QuestionKind::TrueFalse(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_) => {
                vec![0.0, points]
            }
            QuestionKind::Scale(_) => vec![0.0],
        }
    }

    /// Assessment: what each possible answer adds, or `None` when there are too many answers
    /// to list.
    pub(crate) fn every_addition(&self, dimensions: &[&str]) -> Option<Vec<Additions>> {
        Some(match self {
            QuestionKind::Single(k) => k.every_answer().into_iter().map(|a| k.add(a, dimensions)).collect(),
            QuestionKind::Multiple(k) => k.every_answer()?.iter().map(|a| k.add(a, dimensions)).collect(),
            QuestionKind::Scale(k) => k.every_answer().into_iter().map(|a| k.add(a, dimensions)).collect(),
            QuestionKind::TrueFalse(_) | QuestionKind::Text(_) | QuestionKind::Number(_) => Vec::new(),
        })
    }

    /// Assessment, for the sampled fallback: bounds on what one answer adds to `dimension`, and
    /// the weight it counts with.
    pub(crate) fn range(&self, dimension: &str) -> Option<(f64, f64, f64)> {
        if !self.contributes_to(dimension) {
            return None;
        }
        match self {
            QuestionKind::Single(k) => Some(k.range(dimension)).map(|(lo, hi)| (lo, hi, 1.0)),
            QuestionKind::Multiple(k) => Some(k.range(dimension)).map(|(lo, hi)| (lo, hi, 1.0)),
            QuestionKind::Scale(k) => Some(k.range()).map(|(lo, hi)| (lo, hi, k.weight)),
            QuestionKind::TrueFalse(_) | QuestionKind::Text(_) | QuestionKind::Number(_) => None,
        }
    }

    pub fn client(&self) -> ClientKind<'_> {
        match self {
            QuestionKind::Single(k) => ClientKind::Single(k.client()),
            QuestionKind::Multiple(k) => ClientKind::Multiple(k.client()),
            QuestionKind::TrueFalse(k) => ClientKind::TrueFalse(k.client()),
            QuestionKind::Scale(k) => ClientKind::Scale(k.client()),
            QuestionKind::Text(k) => ClientKind::Text(k.client()),
            QuestionKind::Number(k) => ClientKind::Number(k.client()),
        }
    }

    /// The type's part of the template view; `md(text, inline)` renders Markdown.
    pub fn view(&self, md: &dyn Fn(&str, bool) -> String, knowledge: bool) -> KindView {
        match self {
            QuestionKind::Single(k) => k.view(md, knowledge),
            QuestionKind::Multiple(k) => k.view(md, knowledge),
            QuestionKind::TrueFalse(k) => k.view(),
            QuestionKind::Scale(k) => k.view(),
            QuestionKind::Text(k) => k.view(knowledge),
            QuestionKind::Number(k) => k.view(knowledge),
        }
    }
}
