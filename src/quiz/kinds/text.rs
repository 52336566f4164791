//! `text` (knowledge): a short typed answer, right when it normalises ([`crate::quiz::normalize`])
//! to one of `accept`.

use serde::Serialize;

use super::super::answer::Answer;
use super::super::common::Mode;
use super::super::locate::at;
use super::super::raw::RawQuestion;
use super::super::text::normalize;
use super::{Cx, KindView, QuestionResult};

/// quiz-basic.min.js scores and shows this type (quiz.js: the first six types, SPEC §3).
pub const IN_BASIC_SCRIPT: bool = true;

#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// As written (normalised when compared).
    pub accept: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Client {
    /// Already normalised (contract §3).
    pub accept: Vec<String>,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &["accept", "points"],
        Mode::Assessment => &[],
    }
}

impl Text {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> Text {
        let (r, i) = (&mut *cx.r, cx.i);
        let hint = "list the answers that count as right, e.g. `accept: [boundaries, boundary]`";
        let Some(accept) = q.accept.take() else {
            r.push(
                r.error(r.value(at!["questions", i]), "the text question has no `accept`").with_hint(hint),
            );
            return Text { accept: Vec::new() };
        };
        if accept.is_empty() {
            r.push(
                r.error(
                    r.value(at!["questions", i, "accept"]),
                    "`accept` is empty: no answer could be right",
                )
                .with_hint(hint),
            );
        }
        for (k, entry) in accept.iter().enumerate() {
            if normalize(entry).is_empty() {
                r.push(
                    r.error(r.value(at!["questions", i, "accept", k]), "an accepted answer is blank")
                        .with_hint(
                            "answers are compared trimmed, ignoring case and accents; remove the blank entry",
                        ),
                );
            }
        }
        Text { accept }
    }

    /// The text typed, when it is not blank once normalised.
    pub(crate) fn read<'a>(&self, answer: &'a Answer) -> Option<&'a str> {
        match answer {
            Answer::Text(s) => (!normalize(s).is_empty()).then_some(s.as_str()),
            Answer::Flag(_) | Answer::Number(_) | Answer::Picks(_) | Answer::Blanks(_) | Answer::Unfit(_) => {
                None
            }
        }
    }

    pub(crate) fn earn(&self, typed: &str, points: f64) -> QuestionResult {
        let typed = normalize(typed);
        QuestionResult::all_or_nothing(self.accept.iter().any(|a| normalize(a) == typed), points)
    }

    pub(crate) fn client(&self) -> Client {
        Client { accept: self.accept.iter().map(|a| normalize(a)).collect() }
    }

    pub(crate) fn view(&self, knowledge: bool) -> KindView {
        let answer_html = match self.accept.first() {
            Some(first) if knowledge => escape_html(first),
            Some(_) | None => String::new(),
        };
        KindView { answer_html, ..KindView::default() }
    }
}

pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
