//! The reference scorer: SPEC §3 scoring, exactly, on the contract's answers JSON (contract §2),
//! giving the contract's result JSON. The browser's `quiz.js` must agree with it on every input;
//! the differential tests compare the two.
//!
//! Floating point is part of the contract: totals are added in question order (options in index
//! order), then divided once, the same way [`super::analysis`] enumerates reachable scores.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::model::*;

/// A reader's answers: question id → value. Unanswered questions are absent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, Answer>);

/// One answer as the form gives it (contract §2). Which shape is right depends on the question;
/// an answer of the wrong shape counts as no answer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// truefalse.
    Flag(bool),
    /// single (option index), scale (the value picked), number (the number typed).
    Number(f64),
    /// text.
    Text(String),
    /// multiple: option indices.
    Picks(Vec<f64>),
}

/// The result of scoring, as contract §2 shapes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreResult {
    /// The first matching outcome's id, or `None` when none matches (or there are none).
    pub outcome: Option<String>,
    /// Each dimension's score; knowledge: `{ "score": score }`.
    pub dimensions: BTreeMap<String, f64>,
    /// Knowledge only (null in assessment).
    pub earned: Option<f64>,
    pub possible: Option<f64>,
    /// 100 × earned / possible.
    pub score: Option<f64>,
    /// `score ≥ pass`; null without `pass` and in assessment.
    pub passed: Option<bool>,
    /// Knowledge: every question; assessment: empty.
    pub questions: BTreeMap<String, QuestionResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub correct: bool,
    pub earned: f64,
}

/// An answer that fits its question.
#[derive(Debug, Clone, PartialEq)]
enum Given<'a> {
    Option(usize),
    /// Distinct indices, ascending (the order their points are added in).
    Options(Vec<usize>),
    Flag(bool),
    /// The scale value picked, before reversing.
    Scale(i64),
    Text(&'a str),
    Number(f64),
}

/// `x` as an index below `len`, when it is a whole number in range.
fn index(x: f64, len: usize) -> Option<usize> {
    (x.fract() == 0.0 && x >= 0.0 && x < len as f64).then_some(x as usize)
}

/// The answer to `question`, when there is one that fits: an index in range, a scale value in
/// range, a non-blank text, a finite number, at least one pick. Anything else counts as
/// unanswered, so a required question answered with nonsense is reported as missing.
fn given<'a>(question: &Question, answer: Option<&'a Answer>) -> Option<Given<'a>> {
    match (&question.kind, answer?) {
        (QuestionKind::Single { options }, Answer::Number(x)) => index(*x, options.len()).map(Given::Option),
        (QuestionKind::Multiple { options, .. }, Answer::Picks(picks)) => {
            let mut picked = picks.iter().map(|x| index(*x, options.len())).collect::<Option<Vec<_>>>()?;
            picked.sort_unstable();
            picked.dedup();
            (!picked.is_empty()).then_some(Given::Options(picked))
        }
        (QuestionKind::TrueFalse { .. }, Answer::Flag(b)) => Some(Given::Flag(*b)),
        (QuestionKind::Scale { scale, .. }, Answer::Number(x)) => {
            let in_range = x.fract() == 0.0 && *x >= scale.min() as f64 && *x <= scale.max() as f64;
            in_range.then_some(Given::Scale(*x as i64))
        }
        (QuestionKind::Text { .. }, Answer::Text(s)) => (!normalize(s).is_empty()).then_some(Given::Text(s)),
        (QuestionKind::Number { .. }, Answer::Number(x)) if x.is_finite() => Some(Given::Number(*x)),
        _ => None,
    }
}

/// Scores `answers` against `quiz`, or lists the required questions (ids, in quiz order) that
/// have no fitting answer.
pub fn score(quiz: &Quiz, answers: &Answers) -> Result<ScoreResult, Vec<String>> {
    let given: Vec<Option<Given>> = quiz.questions.iter().map(|q| given(q, answers.0.get(&q.id))).collect();
    let missing: Vec<String> = quiz
        .questions
        .iter()
        .zip(&given)
        .filter(|(q, g)| q.required && g.is_none())
        .map(|(q, _)| q.id.clone())
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(match quiz.mode {
        Mode::Knowledge { pass } => score_knowledge(quiz, pass, &given),
        Mode::Assessment => score_assessment(quiz, &given),
    })
}

/// What a knowledge answer earns out of `points`, and whether it is right.
fn earn(kind: &QuestionKind, points: f64, given: Option<&Given>) -> QuestionResult {
    let wrong = QuestionResult { correct: false, earned: 0.0 };
    let all_or_nothing = |right: bool| if right { QuestionResult { correct: true, earned: points } } else { wrong.clone() };
    let Some(given) = given else { return wrong };
    match (kind, given) {
        (QuestionKind::Single { options }, Given::Option(i)) => all_or_nothing(options[*i].credit.is_correct()),
        (QuestionKind::Multiple { options, partial }, Given::Options(picked)) => {
            let correct_count = options.iter().filter(|o| o.credit.is_correct()).count();
            let right = picked.iter().filter(|&&i| options[i].credit.is_correct()).count();
            let wrong_picks = picked.len() - right;
            // `correct` means exactly the correct set, with or without partial credit.
            let exact = right == correct_count && wrong_picks == 0;
            if *partial {
                let net = right.saturating_sub(wrong_picks) as f64;
                QuestionResult { correct: exact, earned: points * net / correct_count as f64 }
            } else {
                all_or_nothing(exact)
            }
        }
        (QuestionKind::TrueFalse { answer }, Given::Flag(b)) => all_or_nothing(answer == b),
        (QuestionKind::Text { accept }, Given::Text(s)) => {
            let typed = normalize(s);
            all_or_nothing(accept.iter().any(|a| normalize(a) == typed))
        }
        (QuestionKind::Number { answer, tolerance }, Given::Number(x)) => {
            all_or_nothing((x - answer).abs() <= *tolerance)
        }
        _ => wrong,
    }
}

fn score_knowledge(quiz: &Quiz, pass: Option<f64>, given: &[Option<Given>]) -> ScoreResult {
    let mut earned = 0.0;
    let mut possible = 0.0;
    let mut questions = BTreeMap::new();
    for (q, g) in quiz.questions.iter().zip(given) {
        let points = q.points.unwrap_or(1.0);
        let result = earn(&q.kind, points, g.as_ref());
        earned += result.earned;
        possible += points;
        questions.insert(q.id.clone(), result);
    }
    let score = 100.0 * earned / possible;
    ScoreResult {
        outcome: quiz.outcome_for(&[score]).map(|o| o.id.clone()),
        dimensions: BTreeMap::from([(KNOWLEDGE_DIMENSION.to_string(), score)]),
        earned: Some(earned),
        possible: Some(possible),
        score: Some(score),
        passed: pass.map(|pass| score >= pass),
        questions,
    }
}

fn score_assessment(quiz: &Quiz, given: &[Option<Given>]) -> ScoreResult {
    let n = quiz.dimensions.len();
    let mut totals = vec![0.0; n];
    // For `mean`: the summed weights of the answered questions that can contribute.
    let mut weights = vec![0.0; n];
    for (q, g) in quiz.questions.iter().zip(given) {
        let Some(g) = g else { continue };
        match (&q.kind, g) {
            (QuestionKind::Scale { scale, dimension, reverse, weight }, Given::Scale(v)) => {
                if let Some(d) = quiz.dimension_index(dimension) {
                    totals[d] += weight * scale.value(*v, *reverse) as f64;
                    weights[d] += weight;
                }
            }
            (kind, Given::Option(_) | Given::Options(_)) => {
                let picked: &[usize] = match g {
                    Given::Option(i) => std::slice::from_ref(i),
                    Given::Options(picked) => picked,
                    _ => &[],
                };
                for (d, dimension) in quiz.dimensions.iter().enumerate() {
                    if !super::check::contributes_to(q, &dimension.id) {
                        continue;
                    }
                    for &i in picked {
                        if let Some(points) = kind.options()[i].credit.points_for(&dimension.id) {
                            totals[d] += points;
                        }
                    }
                    weights[d] += 1.0;
                }
            }
            _ => {}
        }
    }
    let scores: Vec<f64> = quiz
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| aggregate(dimension.aggregate, totals[d], weights[d]))
        .collect();
    ScoreResult {
        outcome: quiz.outcome_for(&scores).map(|o| o.id.clone()),
        dimensions: quiz.dimensions.iter().map(|d| d.id.clone()).zip(scores).collect(),
        earned: None,
        possible: None,
        score: None,
        passed: None,
        questions: BTreeMap::new(),
    }
}

/// A dimension's score from its total and its answered weight. The mean of a dimension that no
/// answered question contributes to is 0.
pub(crate) fn aggregate(aggregate: Aggregate, total: f64, weight: f64) -> f64 {
    match aggregate {
        Aggregate::Sum => total,
        Aggregate::Mean if weight == 0.0 => 0.0,
        Aggregate::Mean => total / weight,
    }
}

/// Text-answer normalisation (contract §3): Unicode NFD, drop combining marks, lowercase, trim,
/// collapse runs of whitespace to one space. "Whitespace" is JavaScript's `\s` (which is also
/// what `String.prototype.trim` strips), so that `quiz.js` can do the same with a regex.
pub fn normalize(s: &str) -> String {
    let unmarked: String = s.nfd().filter(|c| !is_combining_mark(*c)).collect();
    let lower = unmarked.to_lowercase();
    lower.split(is_js_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// JavaScript's `\s`: WhiteSpace and LineTerminator of ECMA-262 (it differs from
/// `char::is_whitespace` in U+FEFF, which it includes, and U+0085, which it does not).
fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}'
            | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}
