//! `cloze` (knowledge): blanks in a passage, marked `___` in the prompt, one entry in `blanks` per
//! mark. A blank is typed (`accept`, compared like `text`) or a drop-down (`options`, exactly
//! one `correct`). An answer fills every blank: a string for a typed one, the option's index for
//! a drop-down. Right only when every blank is; with `partial`, `points × right blanks / blanks`.

use std::collections::HashMap;

use serde::Serialize;

use super::super::answer::{Answer, Fill, index};
use super::super::common::{Markdown, Mode};
use super::super::locate::at;
use super::super::raw::{RawBlank, RawQuestion};
use super::super::report::{Reporter, non_blank};
use super::super::text::normalize;
use super::{Cx, ItemView, KindView, QuestionResult};

/// Only quiz.min.js handles this type (quiz.js `EXTRAS`, SPEC §3.1): a quiz using it loads that copy.
pub const IN_BASIC_SCRIPT: bool = false;

/// What marks a blank in the prompt.
pub const MARK: &str = "___";

#[derive(Debug, Clone, PartialEq)]
pub struct Cloze {
    pub blanks: Vec<Blank>,
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Blank {
    /// Typed; right when it normalises to one of `accept` (kept as written).
    Typed { accept: Vec<String> },
    /// A drop-down of inline Markdown options; `correct` is the right one's index.
    Choice { options: Vec<Markdown>, correct: usize },
}

#[derive(Debug, Serialize)]
pub struct Client {
    pub partial: bool,
    pub blanks: Vec<ClientBlank>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ClientBlank {
    /// Already normalised.
    Typed {
        accept: Vec<String>,
    },
    Choice {
        options: usize,
        correct: usize,
    },
}

/// A blank as the template shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlankView {
    /// 0-based, as `data-blank`.
    pub index: usize,
    /// Drop-down options, in YAML order (values are their indices); empty for a typed blank.
    pub options: Vec<ItemView>,
}

pub(crate) fn keys(mode: Mode) -> &'static [&'static str] {
    match mode {
        Mode::Knowledge { .. } => &["blanks", "points", "partial"],
        Mode::Assessment => &[],
    }
}

impl Cloze {
    pub(crate) fn check(cx: &mut Cx, q: &mut RawQuestion) -> Cloze {
        let (r, i) = (&mut *cx.r, cx.i);
        let partial = q.partial.unwrap_or(false);
        let marks = cx.prompt.matches(MARK).count();
        let Some(raw) = q.blanks.take() else {
            r.push(r.error(r.value(at!["questions", i]), "the cloze question has no `blanks`").with_hint(
                "mark each blank `___` in the prompt and list one entry per blank under `blanks`",
            ));
            return Cloze { blanks: Vec::new(), partial };
        };
        if marks != raw.len() {
            r.push(
                r.error(
                    r.value(at!["questions", i, "prompt"]),
                    format!(
                        "the prompt has {marks} blank{} (`___`) but `blanks` lists {}",
                        plural(marks),
                        raw.len()
                    ),
                )
                .with_hint("give one entry under `blanks` for each `___` in the prompt, in the same order"),
            );
        }
        if raw.is_empty() {
            r.push(
                r.error(r.value(at!["questions", i, "blanks"]), "`blanks` is empty")
                    .with_hint("a cloze question needs at least one blank"),
            );
        }
        let blanks = raw.into_iter().enumerate().map(|(k, b)| check_blank(r, i, k, b)).collect();
        Cloze { blanks, partial }
    }

    /// What fills each blank, when every blank has a fitting fill: a non-blank text for a typed
    /// blank, an option index in range for a drop-down.
    pub(crate) fn read(&self, answer: &Answer) -> Option<Vec<Fill>> {
        let fills: Vec<Fill> = match answer {
            Answer::Blanks(fills) => fills.clone(),
            // All drop-downs: the fills are all numbers.
            Answer::Picks(picks) => picks.iter().map(|x| Fill::Index(*x)).collect(),
            Answer::Flag(_) | Answer::Number(_) | Answer::Text(_) | Answer::Unfit(_) => return None,
        };
        if fills.len() != self.blanks.len() {
            return None;
        }
        let fits = self.blanks.iter().zip(&fills).all(|(blank, fill)| match (blank, fill) {
            (Blank::Typed { .. }, Fill::Text(s)) => !normalize(s).is_empty(),
            (Blank::Choice { options, .. }, Fill::Index(x)) => index(*x, options.len()).is_some(),
            (Blank::Typed { .. }, Fill::Index(_)) | (Blank::Choice { .. }, Fill::Text(_)) => false,
        });
        fits.then_some(fills)
    }

    pub(crate) fn earn(&self, fills: &[Fill], points: f64) -> QuestionResult {
        let right = self
            .blanks
            .iter()
            .zip(fills)
            .filter(|(blank, fill)| match (blank, fill) {
                (Blank::Typed { accept }, Fill::Text(s)) => {
                    let typed = normalize(s);
                    accept.iter().any(|a| normalize(a) == typed)
                }
                (Blank::Choice { correct, .. }, Fill::Index(x)) => *x == *correct as f64,
                (Blank::Typed { .. }, Fill::Index(_)) | (Blank::Choice { .. }, Fill::Text(_)) => false,
            })
            .count();
        let exact = right == self.blanks.len();
        if self.partial {
            QuestionResult { correct: exact, earned: points * right as f64 / self.blanks.len() as f64 }
        } else {
            QuestionResult::all_or_nothing(exact, points)
        }
    }

    /// Each blank can be right or wrong on its own (a drop-down has a wrong option, checked).
    pub(crate) fn can_earn(&self, points: f64) -> Vec<f64> {
        let n = self.blanks.len();
        if self.partial { (0..=n).map(|k| points * k as f64 / n as f64).collect() } else { vec![0.0, points] }
    }

    pub(crate) fn markdown(&self) -> Vec<&Markdown> {
        self.blanks
            .iter()
            .flat_map(|b| match b {
                Blank::Choice { options, .. } => options.iter().collect::<Vec<_>>(),
                Blank::Typed { .. } => Vec::new(),
            })
            .collect()
    }

    pub(crate) fn client(&self) -> Client {
        let blanks = self
            .blanks
            .iter()
            .map(|b| match b {
                Blank::Typed { accept } => {
                    ClientBlank::Typed { accept: accept.iter().map(|a| normalize(a)).collect() }
                }
                Blank::Choice { options, correct } => {
                    ClientBlank::Choice { options: options.len(), correct: *correct }
                }
            })
            .collect();
        Client { partial: self.partial, blanks }
    }

    pub(crate) fn view(&self, md: &dyn Fn(&str, bool) -> String, knowledge: bool) -> KindView {
        let mut right = Vec::new();
        let blanks = self
            .blanks
            .iter()
            .enumerate()
            .map(|(k, b)| match b {
                Blank::Typed { accept } => {
                    right.push(accept.first().map(|a| super::text::escape_html(a)).unwrap_or_default());
                    BlankView { index: k, options: Vec::new() }
                }
                Blank::Choice { options, correct } => {
                    let options: Vec<ItemView> = options
                        .iter()
                        .enumerate()
                        .map(|(j, o)| ItemView::new(j, md(&o.text, true)))
                        .collect();
                    right.push(options[*correct].text_html.clone());
                    BlankView { index: k, options }
                }
            })
            .collect();
        let answer_html = if knowledge {
            right.iter().enumerate().map(|(k, h)| format!("{}: {h}", k + 1)).collect::<Vec<_>>().join("; ")
        } else {
            String::new()
        };
        KindView { blanks, answer_html, partial: self.partial, ..KindView::default() }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn check_blank(r: &mut Reporter, i: usize, k: usize, blank: RawBlank) -> Blank {
    let path = at!["questions", i, "blanks", k];
    match (blank.accept, blank.options) {
        (Some(_), Some(_)) => {
            r.push(
                r.error(r.value(path), format!("blank {} has both `accept` and `options`", k + 1)).with_hint(
                    "a blank is typed (`accept: [...]`) or a drop-down (`options: [...]`), not both",
                ),
            );
            Blank::Typed { accept: Vec::new() }
        }
        (None, None) => {
            r.push(
                r.error(r.value(path), format!("blank {} has neither `accept` nor `options`", k + 1))
                    .with_hint("give the typed answers that count (`accept: [...]`) or drop-down `options`"),
            );
            Blank::Typed { accept: Vec::new() }
        }
        (Some(accept), None) => {
            if accept.is_empty() {
                r.push(
                    r.error(
                        r.value(at!["questions", i, "blanks", k, "accept"]),
                        "`accept` is empty: no answer could be right",
                    )
                    .with_hint("list the answers that count as right, e.g. `accept: [boundary, boundaries]`"),
                );
            }
            for (j, entry) in accept.iter().enumerate() {
                if normalize(entry).is_empty() {
                    r.push(r.error(
                        r.value(at!["questions", i, "blanks", k, "accept", j]),
                        "an accepted answer is blank",
                    ));
                }
            }
            Blank::Typed { accept }
        }
        (None, Some(raw)) => {
            let options_path = at!["questions", i, "blanks", k, "options"];
            if raw.len() < 2 {
                r.push(
                    r.error(r.value(options_path), format!("blank {} has fewer than two options", k + 1))
                        .with_hint("a drop-down needs at least two options to choose from"),
                );
            }
            let mut seen: HashMap<String, usize> = HashMap::new();
            let mut options = Vec::new();
            let mut correct = Vec::new();
            for (j, o) in raw.into_iter().enumerate() {
                let text_path = at!["questions", i, "blanks", k, "options", j, "text"];
                for (key, present) in [("points", o.points.is_some()), ("feedback", o.feedback.is_some())] {
                    if present {
                        r.push(
                            r.error(
                                r.key(at!["questions", i, "blanks", k, "options", j, key]),
                                format!("a blank's option has no `{key}`"),
                            )
                            .with_hint(
                                "a drop-down option has `text` and, for the right one, `correct: true`",
                            ),
                        );
                    }
                }
                let text = non_blank(r, o.text, text_path, "the option has no text");
                if let Some(first) = seen.insert(normalize(&text), j) {
                    r.push(
                        r.error(
                            r.value(text_path),
                            format!("option {} has the same text as option {}", j + 1, first + 1),
                        )
                        .with_hint("readers could not tell them apart; reword or remove one"),
                    );
                }
                if o.correct == Some(true) {
                    correct.push(j);
                }
                options.push(Markdown { text, offset: r.value(text_path).offset });
            }
            if correct.len() != 1 {
                r.push(
                    r.error(
                        r.value(options_path),
                        format!("blank {} has {} correct options", k + 1, correct.len()),
                    )
                    .with_hint("mark exactly one option of a drop-down blank `correct: true`"),
                );
            }
            Blank::Choice { options, correct: correct.first().copied().unwrap_or(0) }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::quiz::testing::*;
    use crate::quiz::{Answers, score};

    #[test]
    fn blanks_are_checked() {
        let src = knowledge("  - { type: cloze, prompt: \"a ___ b ___\", blanks: [{ accept: [x] }] }\n");
        let p = find(&src, "the prompt has 2 blanks (`___`) but `blanks` lists 1");
        assert_eq!(p.line, 4);
        let src = knowledge(
            "  - type: cloze\n    prompt: a ___ b ___ c ___\n    blanks:\n      - { accept: [x], options: [{ text: y, correct: true }, { text: z }] }\n      - options: [{ text: y, correct: true }, { text: z, correct: true }]\n      - {}\n",
        );
        assert_eq!(find(&src, "blank 1 has both `accept` and `options`").line, 7);
        assert_eq!(find(&src, "blank 2 has 2 correct options").line, 8);
        find(&src, "blank 3 has neither `accept` nor `options`");
    }

    #[test]
    fn typed_and_drop_down_blanks_score_with_partial_credit() {
        let quiz = quiz(&knowledge(
            "  - id: c\n    type: cloze\n    prompt: a ___ b ___\n    partial: true\n    blanks:\n      - accept: [Boundary]\n      - options: [{ text: \"no\", correct: true }, { text: sorry }]\n",
        ));
        let result = |json: &str| score(&quiz, &serde_json::from_str::<Answers>(json).unwrap());
        let both = result(r#"{"c": [" BOUNDARY ", 0]}"#).unwrap();
        assert_eq!((both.questions["c"].correct, both.questions["c"].earned), (true, 1.0));
        assert_eq!(result(r#"{"c": ["limit", 0]}"#).unwrap().questions["c"].earned, 0.5);
        for bad in [r#"{"c": ["", 0]}"#, r#"{"c": ["x", 2]}"#, r#"{"c": [0, "x"]}"#, r#"{"c": ["x"]}"#] {
            assert_eq!(result(bad).unwrap_err(), ["c"], "{bad}");
        }
    }
}
