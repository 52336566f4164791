//! One module per question type (SPEC §3, §3.1). Each holds what the type is in the model, its
//! checks, how it reads an answer, what it earns (knowledge) or adds (assessment), the answers
//! it can be given (for the soundness proof), its client data and its template view. This file
//! only dispatches, with exhaustive matches (`clippy::wildcard_enum_match_arm` is denied in the
//! quiz module), so a new type is a list of compile errors here and nowhere else in Rust.

pub mod choice;
pub mod cloze;
pub mod matching;
pub mod multiple;
pub mod number;
pub mod order;
pub mod scale;
pub mod single;
pub mod text;
pub mod truefalse;

use serde::Serialize;

pub use choice::{Choice, ClientOption, Credit, OptionView};
pub use cloze::{Blank, BlankView, Cloze};
pub use matching::Match;
pub use multiple::Multiple;
pub use number::Number;
pub use order::Order;
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
    Order(Order),
    Match(Match),
    Cloze(Cloze),
}

/// What a type's checks get: where to report, the mode, the declared dimensions, and the
/// question's index in `questions`.
pub(crate) struct Cx<'c, 'a> {
    pub r: &'c mut Reporter<'a>,
    pub mode: Mode,
    pub dimensions: &'c [&'c str],
    pub i: usize,
    /// The question's prompt, as written.
    pub prompt: &'c str,
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
    Order(order::Client),
    Match(matching::Client),
    Cloze(cloze::Client),
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
    /// Multiple, order, match, cloze: partial credit.
    pub partial: bool,
    /// Order: the items, in the order shown (never the right one), `value` their YAML index;
    /// match: the left items, in YAML order.
    pub items: Vec<ItemView>,
    /// Order: the positions a select offers, `1…n`.
    pub positions: Vec<usize>,
    /// Match: the right-hand answers, in the order shown, `value` their index.
    pub answers: Vec<ItemView>,
    /// Cloze: one per blank.
    pub blanks: Vec<BlankView>,
}

/// An item, a right-hand answer or a drop-down option of the new types, as the template shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemView {
    /// Its 0-based index in the YAML, as the control's `data-item` or `value`.
    pub value: String,
    /// Inline Markdown, rendered.
    pub text_html: String,
    /// The same without its tags (entities kept), for an `<option>`, which holds text only.
    pub label_html: String,
}

impl ItemView {
    pub(crate) fn new(value: usize, text_html: String) -> ItemView {
        let mut label_html = String::with_capacity(text_html.len());
        let mut in_tag = false;
        for c in text_html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => label_html.push(c),
                _ => {}
            }
        }
        ItemView { value: value.to_string(), text_html, label_html }
    }
}

/// A deterministic order of `0..n` that is never `0, 1, …, n − 1` (for n ≥ 2), seeded by
/// `seed`: how order items and match answers are shown, so position never gives the answer
/// away, with or without JavaScript, and the page is the same on every build.
pub(crate) fn display_order(n: usize, seed: &[&str]) -> Vec<usize> {
    let mut state = seed.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, s| {
        s.bytes().chain([0xff]).fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    });
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    if n >= 2 && order.iter().enumerate().all(|(k, &v)| k == v) {
        order.rotate_left(1);
    }
    order
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
        QuestionType::Order => order::keys(mode),
        QuestionType::Match => matching::keys(mode),
        QuestionType::Cloze => cloze::keys(mode),
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
            QuestionType::Order => QuestionKind::Order(Order::check(cx, q)),
            QuestionType::Match => QuestionKind::Match(Match::check(cx, q)),
            QuestionType::Cloze => QuestionKind::Cloze(Cloze::check(cx, q)),
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
            QuestionKind::Order(_) => QuestionType::Order,
            QuestionKind::Match(_) => QuestionType::Match,
            QuestionKind::Cloze(_) => QuestionType::Cloze,
        }
    }

    /// Whether quiz-basic.min.js handles the type (else a quiz using it loads quiz.min.js).
    pub fn in_basic_script(&self) -> bool {
        match self {
            QuestionKind::Single(_) => single::IN_BASIC_SCRIPT,
            QuestionKind::Multiple(_) => multiple::IN_BASIC_SCRIPT,
            QuestionKind::TrueFalse(_) => truefalse::IN_BASIC_SCRIPT,
            QuestionKind::Scale(_) => scale::IN_BASIC_SCRIPT,
            QuestionKind::Text(_) => text::IN_BASIC_SCRIPT,
            QuestionKind::Number(_) => number::IN_BASIC_SCRIPT,
            QuestionKind::Order(_) => order::IN_BASIC_SCRIPT,
            QuestionKind::Match(_) => matching::IN_BASIC_SCRIPT,
            QuestionKind::Cloze(_) => cloze::IN_BASIC_SCRIPT,
        }
    }

    /// The Markdown the type adds to its question's (prompt and explanation are shared).
    pub fn markdown(&self) -> Vec<(&Markdown, Rendering)> {
        match self {
            QuestionKind::Single(k) => choice::markdown(&k.options),
            QuestionKind::Multiple(k) => choice::markdown(&k.options),
            QuestionKind::Order(k) => k.items.iter().map(|m| (m, Rendering::Inline)).collect(),
            QuestionKind::Match(k) => {
                let pairs = k.pairs.iter().flat_map(|(l, r)| [l, r]);
                pairs.chain(&k.distractors).map(|m| (m, Rendering::Inline)).collect()
            }
            QuestionKind::Cloze(k) => k.markdown().into_iter().map(|m| (m, Rendering::Inline)).collect(),
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
            QuestionKind::TrueFalse(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_)
            | QuestionKind::Order(_)
            | QuestionKind::Match(_)
            | QuestionKind::Cloze(_) => false,
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
            QuestionKind::Order(k) => k.read(answer).map(|a| k.earn(&a, points)),
            QuestionKind::Match(k) => k.read(answer).map(|a| k.earn(&a, points)),
            QuestionKind::Cloze(k) => k.read(answer).map(|a| k.earn(&a, points)),
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
            QuestionKind::TrueFalse(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_)
            | QuestionKind::Order(_)
            | QuestionKind::Match(_)
            | QuestionKind::Cloze(_) => None,
        }
    }

    /// Knowledge: every amount the question can earn out of `points` (0 always among them: a
    /// wrong answer always exists).
    pub(crate) fn can_earn(&self, points: f64) -> Vec<f64> {
        match self {
            QuestionKind::Multiple(k) => k.can_earn(points),
            QuestionKind::Order(k) => k.can_earn(points),
            QuestionKind::Match(k) => k.can_earn(points),
            QuestionKind::Cloze(k) => k.can_earn(points),
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
            QuestionKind::TrueFalse(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_)
            | QuestionKind::Order(_)
            | QuestionKind::Match(_)
            | QuestionKind::Cloze(_) => Vec::new(),
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
            QuestionKind::TrueFalse(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_)
            | QuestionKind::Order(_)
            | QuestionKind::Match(_)
            | QuestionKind::Cloze(_) => None,
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
            QuestionKind::Order(k) => ClientKind::Order(k.client()),
            QuestionKind::Match(k) => ClientKind::Match(k.client()),
            QuestionKind::Cloze(k) => ClientKind::Cloze(k.client()),
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
            QuestionKind::Order(k) => k.view(md, knowledge),
            QuestionKind::Match(k) => k.view(md, knowledge),
            QuestionKind::Cloze(k) => k.view(md, knowledge),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::display_order;

    #[test]
    fn display_order_is_a_permutation_never_the_right_order() {
        for n in 2..=12 {
            for seed in ["a", "b", "c", "d", "e", "f", "g", "h"] {
                let order = display_order(n, &[seed, "x"]);
                let mut sorted = order.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>());
                assert_ne!(order, sorted, "n {n}, seed {seed}");
                assert_eq!(order, display_order(n, &[seed, "x"]), "the same on every build");
            }
        }
    }
}
