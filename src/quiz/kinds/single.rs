//! `single`: pick one option. Knowledge: exactly one option is correct; assessment: each option
//! gives points.

use serde::Serialize;

use super::super::answer::{Answer, index};
use super::super::common::Mode;
use super::super::locate::at;
use super::super::raw::{QuestionType, RawQuestion};
use super::choice::{self, Choice, ClientOption, OptionView};
use super::{Additions, Cx, KindView, QuestionResult};

/// quiz-basic.min.js scores and shows this type (quiz.js: the first six types, SPEC §3).
pub const IN_BASIC_SCRIPT: bool = true;

#[derive(Debug, Clone, PartialEq)]
pub struct Single {
    pub options: Vec<Choice>,
}

/// The client data: `partial` is always false (kept so both option types read alike).
#[derive(Debug, Serialize)]
pub struct Client<'q> {
    pub partial: bool,
    pub options: Vec<ClientOption<'q>>,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &["options", "points"],
        Mode::Assessment => &["options"],
    }
}

impl Single {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> Single {
        let options = choice::check_options(cx, QuestionType::Single, q.options.take());
        if cx.mode.is_knowledge() && !options.is_empty() {
            let correct = choice::correct(&options);
            let r = &mut *cx.r;
            match correct[..] {
                [] => r.push(
                    r.error(
                        r.key(at!["questions", cx.i, "options"]),
                        "the single question has no correct option",
                    )
                    .with_hint("mark the right option with `correct: true`"),
                ),
                [_] => {}
                [_, second, ..] => r.push(
                    r.error(
                        r.value(at!["questions", cx.i, "options", second, "correct"]),
                        format!("the single question has {} correct options", correct.len()),
                    )
                    .with_hint(
                        "a single question has exactly one right option; use `type: multiple` for several",
                    ),
                ),
            }
        }
        Single { options }
    }

    /// The option picked, when the answer is an index in range.
    pub(crate) fn read(&self, answer: &Answer) -> Option<usize> {
        match answer {
            Answer::Number(x) => index(*x, self.options.len()),
            Answer::Flag(_) | Answer::Text(_) | Answer::Picks(_) | Answer::Blanks(_) | Answer::Unfit(_) => {
                None
            }
        }
    }

    pub(crate) fn earn(&self, picked: usize, points: f64) -> QuestionResult {
        QuestionResult::all_or_nothing(self.options[picked].credit.is_correct(), points)
    }

    pub(crate) fn add(&self, picked: usize, dimensions: &[&str]) -> Additions {
        choice::additions(&self.options, &[picked], dimensions)
    }

    /// Every answer: each option.
    pub(crate) fn every_answer(&self) -> Vec<usize> {
        (0..self.options.len()).collect()
    }

    /// The lowest and highest points one answer gives `dimension`.
    pub(crate) fn range(&self, dimension: &str) -> (f64, f64) {
        let points = choice::points(&self.options, dimension);
        (
            points.iter().copied().fold(f64::INFINITY, f64::min),
            points.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        )
    }

    pub(crate) fn client(&self) -> Client<'_> {
        Client { partial: false, options: choice::client_options(&self.options) }
    }

    pub(crate) fn view(&self, md: &dyn Fn(&str, bool) -> String, knowledge: bool) -> KindView {
        let options: Vec<OptionView> = choice::option_views(&self.options, md);
        let answer_html = if knowledge { choice::right_answer_html(&options) } else { String::new() };
        KindView { options, answer_html, ..KindView::default() }
    }
}
