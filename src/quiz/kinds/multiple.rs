//! `multiple`: pick any number of options. Knowledge: right only with exactly the correct set,
//! or with `partial`, `points × max(0, right picks − wrong picks) / correct count`; assessment:
//! each option picked gives its points.

use serde::Serialize;

use super::super::answer::{Answer, index};
use super::super::common::Mode;
use super::super::locate::at;
use super::super::raw::{QuestionType, RawQuestion};
use super::choice::{self, Choice, ClientOption, OptionView};
use super::{Additions, Cx, KindView, QuestionResult};

/// quiz-basic.min.js scores and shows this type (quiz.js: the first six types, SPEC §3).
pub const IN_BASIC_SCRIPT: bool = true;

/// Above this many options, the 2ⁿ answers are not enumerated for the soundness proof.
const MAX_ENUMERATED_OPTIONS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct Multiple {
    pub options: Vec<Choice>,
    /// Knowledge only: partial credit.
    pub partial: bool,
}

#[derive(Debug, Serialize)]
pub struct Client<'q> {
    pub partial: bool,
    pub options: Vec<ClientOption<'q>>,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &["options", "points", "partial"],
        Mode::Assessment => &["options"],
    }
}

impl Multiple {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> Multiple {
        let options = choice::check_options(cx, QuestionType::Multiple, q.options.take());
        if cx.mode.is_knowledge() && !options.is_empty() {
            let correct = choice::correct(&options).len();
            let r = &mut *cx.r;
            let options_key = r.key(at!["questions", cx.i, "options"]);
            if correct == 0 {
                r.push(
                    r.error(options_key, "the multiple question has no correct option")
                        .with_hint("mark each right option with `correct: true`"),
                );
            } else if correct == options.len() {
                r.push(r.error(options_key, "every option of the multiple question is correct").with_hint(
                    "with no wrong option, ticking everything is always right; add a wrong option",
                ));
            }
        }
        Multiple { options, partial: q.partial.unwrap_or(false) }
    }

    /// The options picked, distinct and ascending (the order their points are added in), when
    /// every pick is an index in range and there is at least one.
    pub(crate) fn read(&self, answer: &Answer) -> Option<Vec<usize>> {
        let mut picked =
            answer.picks()?.iter().map(|x| index(*x, self.options.len())).collect::<Option<Vec<_>>>()?;
        picked.sort_unstable();
        picked.dedup();
        (!picked.is_empty()).then_some(picked)
    }

    pub(crate) fn earn(&self, picked: &[usize], points: f64) -> QuestionResult {
        let correct_count = choice::correct(&self.options).len();
        let right = picked.iter().filter(|&&i| self.options[i].credit.is_correct()).count();
        let wrong = picked.len() - right;
        // `correct` means exactly the correct set, with or without partial credit.
        let exact = right == correct_count && wrong == 0;
        if self.partial {
            let net = right.saturating_sub(wrong) as f64;
            QuestionResult { correct: exact, earned: points * net / correct_count as f64 }
        } else {
            QuestionResult::all_or_nothing(exact, points)
        }
    }

    /// What it can earn: with partial credit every multiple of `points / correct count`.
    pub(crate) fn can_earn(&self, points: f64) -> Vec<f64> {
        if !self.partial {
            return vec![0.0, points];
        }
        let correct = choice::correct(&self.options).len();
        (0..=correct).map(|net| points * net as f64 / correct as f64).collect()
    }

    pub(crate) fn add(&self, picked: &[usize], dimensions: &[&str]) -> Additions {
        choice::additions(&self.options, picked, dimensions)
    }

    /// Every answer (each non-empty set of options), or `None` when there are too many.
    pub(crate) fn every_answer(&self) -> Option<Vec<Vec<usize>>> {
        let n = self.options.len();
        if n > MAX_ENUMERATED_OPTIONS {
            return None;
        }
        Some((1..1u32 << n).map(|mask| (0..n).filter(|i| mask & (1 << i) != 0).collect()).collect())
    }

    /// Bounds on the points one answer gives `dimension` (any non-empty subset).
    pub(crate) fn range(&self, dimension: &str) -> (f64, f64) {
        let points = choice::points(&self.options, dimension);
        let negatives: f64 = points.iter().filter(|p| **p < 0.0).sum();
        let positives: f64 = points.iter().filter(|p| **p > 0.0).sum();
        let least = points.iter().copied().fold(f64::INFINITY, f64::min);
        let most = points.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (negatives.min(least), positives.max(most))
    }

    pub(crate) fn client(&self) -> Client<'_> {
        Client { partial: self.partial, options: choice::client_options(&self.options) }
    }

    pub(crate) fn view(&self, md: &dyn Fn(&str, bool) -> String, knowledge: bool) -> KindView {
        let options: Vec<OptionView> = choice::option_views(&self.options, md);
        let answer_html = if knowledge { choice::right_answer_html(&options) } else { String::new() };
        KindView { options, answer_html, partial: self.partial, ..KindView::default() }
    }
}
