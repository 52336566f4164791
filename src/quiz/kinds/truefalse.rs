//! `truefalse` (knowledge): a statement that is true or false; right when the reader says which.

use serde::Serialize;

use super::super::answer::Answer;
use super::super::common::Mode;
use super::super::locate::at;
use super::super::raw::RawQuestion;
use super::{Cx, KindView, QuestionResult};

/// quiz-basic.min.js scores and shows this type (quiz.js: the first six types, SPEC §3).
pub const IN_BASIC_SCRIPT: bool = true;

#[derive(Debug, Clone, PartialEq)]
pub struct TrueFalse {
    pub answer: bool,
}

#[derive(Debug, Serialize)]
pub struct Client {
    pub answer: bool,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &["answer", "points"],
        Mode::Assessment => &[],
    }
}

impl TrueFalse {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> TrueFalse {
        let (r, i) = (&mut *cx.r, cx.i);
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
        TrueFalse { answer }
    }

    pub(crate) fn read(&self, answer: &Answer) -> Option<bool> {
        match answer {
            Answer::Flag(b) => Some(*b),
            Answer::Number(_) | Answer::Text(_) | Answer::Picks(_) | Answer::Blanks(_) | Answer::Unfit(_) => {
                None
            }
        }
    }

    pub(crate) fn earn(&self, said: bool, points: f64) -> QuestionResult {
        QuestionResult::all_or_nothing(said == self.answer, points)
    }

    pub(crate) fn client(&self) -> Client {
        Client { answer: self.answer }
    }

    /// The template words the right answer itself (translatable), from `answer`.
    pub(crate) fn view(&self) -> KindView {
        KindView { answer: serde_json::json!(self.answer), ..KindView::default() }
    }
}
