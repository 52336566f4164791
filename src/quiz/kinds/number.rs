//! `number` (knowledge): right when within `tolerance` of `answer` (bounds included).

use serde::Serialize;

use super::super::answer::Answer;
use super::super::common::Mode;
use super::super::json::Num;
use super::super::locate::at;
use super::super::raw::RawQuestion;
use super::{Cx, KindView, QuestionResult};

/// quiz-basic.min.js scores and shows this type (quiz.js: the first six types, SPEC §3).
pub const IN_BASIC_SCRIPT: bool = true;

#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub answer: f64,
    /// Zero or more (default 0).
    pub tolerance: f64,
}

#[derive(Debug, Serialize)]
pub struct Client {
    pub answer: Num,
    pub tolerance: Num,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &["answer", "tolerance", "points"],
        Mode::Assessment => &[],
    }
}

impl Number {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> Number {
        let (r, i) = (&mut *cx.r, cx.i);
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
        Number { answer, tolerance }
    }

    pub(crate) fn read(&self, answer: &Answer) -> Option<f64> {
        match answer {
            Answer::Number(x) if x.is_finite() => Some(*x),
            Answer::Number(_)
            | Answer::Flag(_)
            | Answer::Text(_)
            | Answer::Picks(_)
            | Answer::Blanks(_)
            | Answer::Unfit(_) => None,
        }
    }

    pub(crate) fn earn(&self, typed: f64, points: f64) -> QuestionResult {
        QuestionResult::all_or_nothing((typed - self.answer).abs() <= self.tolerance, points)
    }

    pub(crate) fn client(&self) -> Client {
        Client { answer: Num(self.answer), tolerance: Num(self.tolerance) }
    }

    pub(crate) fn view(&self, knowledge: bool) -> KindView {
        let answer_html = match knowledge {
            false => String::new(),
            true if self.tolerance > 0.0 => format!("{} ± {}", self.answer, self.tolerance),
            true => self.answer.to_string(),
        };
        KindView {
            answer_html,
            answer: serde_json::json!(self.answer),
            tolerance: Some(self.tolerance),
            ..KindView::default()
        }
    }
}
