//! SPEC §3.4: warnings about how a quiz is written (`tandem check`), each at file:line with a
//! concrete fix. A quiz that passes the soundness proof can still teach badly: readers learn to
//! pick the longest option, or to agree with everything. These look across questions; a lint
//! about one question type alone lives with that type (`all of the above` in
//! [`super::kinds::choice`]).

use super::analysis::number;
use super::locate::{Span, at};
use super::model::*;
use super::report::Reporter;

/// Fewer questions than this and a pattern across them says little.
const MIN_PATTERN: usize = 4;
/// The correct option at the same position in every single-choice question: with fewer than
/// this many, that happens by chance too often to warn about.
const MIN_SAME_POSITION: usize = 3;

/// Runs every cross-question lint of SPEC §3.4 on a quiz that has passed the checks (its
/// dimensions carry their reachable ranges).
pub(crate) fn lint(r: &mut Reporter, quiz: &Quiz) {
    match quiz.mode {
        Mode::Knowledge { .. } => {
            longest_correct(r, quiz);
            same_position(r, quiz);
            one_sided_truefalse(r, quiz);
        }
        Mode::Assessment => {
            reverse_keying(r, quiz);
            neutral_reader(r, quiz);
        }
    }
}

/// Each single-choice question, by its index in `questions`, with its options.
fn singles(quiz: &Quiz) -> Vec<(usize, &Single)> {
    quiz.questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| match &q.kind {
            QuestionKind::Single(s) => Some((i, s)),
            QuestionKind::Multiple(_)
            | QuestionKind::TrueFalse(_)
            | QuestionKind::Scale(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_)
            | QuestionKind::Order(_)
            | QuestionKind::Match(_)
            | QuestionKind::Cloze(_) => None,
        })
        .collect()
}

fn correct_index(single: &Single) -> Option<usize> {
    single.options.iter().position(|o| o.credit.is_correct())
}

/// Where question `i`'s option `j` is written.
fn option_span(r: &Reporter, i: usize, j: usize) -> Span {
    r.value(at!["questions", i, "options", j, "text"])
}

/// Ids as a reader of the warning looks them up: `q1`, `q3` and `q4`.
fn listed(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The correct option is the longest one in three quarters or more of the single-choice
/// questions (at least [`MIN_PATTERN`] of them): readers learn to pick the longest.
fn longest_correct(r: &mut Reporter, quiz: &Quiz) {
    let singles = singles(quiz);
    if singles.len() < MIN_PATTERN {
        return;
    }
    let length = |c: &Choice| c.text.text.trim().chars().count();
    let longest: Vec<(usize, usize)> = singles
        .iter()
        .filter_map(|&(i, s)| {
            let c = correct_index(s)?;
            let right = length(&s.options[c]);
            let strictly = s.options.iter().enumerate().all(|(j, o)| j == c || length(o) < right);
            strictly.then_some((i, c))
        })
        .collect();
    // Three quarters or more, in whole numbers.
    if 4 * longest.len() < 3 * singles.len() {
        return;
    }
    let ids: Vec<&str> = longest.iter().map(|&(i, _)| quiz.questions[i].id.as_str()).collect();
    let (i, c) = longest[0];
    r.push(
        r.warning(
            option_span(r, i, c),
            format!(
                "the correct option is the longest one in {} of the {} single-choice questions",
                longest.len(),
                singles.len()
            ),
        )
        .with_hint(format!(
            "a reader can score well by picking the longest option without knowing the answer; in {}, give \
             a wrong option the same detail as the right one, or say the right one more briefly, until the \
             longest is the right one in fewer than three quarters of them",
            listed(&ids)
        )),
    );
}

/// The correct option sits at the same position in every single-choice question (at least
/// [`MIN_SAME_POSITION`]) and the options are not shuffled.
fn same_position(r: &mut Reporter, quiz: &Quiz) {
    match quiz.shuffle {
        Shuffle::Options | Shuffle::All => return,
        Shuffle::None | Shuffle::Questions => {}
    }
    let singles = singles(quiz);
    if singles.len() < MIN_SAME_POSITION {
        return;
    }
    let positions: Vec<Option<usize>> = singles.iter().map(|(_, s)| correct_index(s)).collect();
    let Some(Some(first)) = positions.first().copied() else { return };
    if positions.iter().any(|p| *p != Some(first)) {
        return;
    }
    let (i, _) = singles[0];
    r.push(
        r.warning(
            option_span(r, i, first),
            format!(
                "the correct option is option {} in all {} single-choice questions",
                first + 1,
                singles.len()
            ),
        )
        .with_hint(
            "readers soon learn where the answer sits; move the right option to other places in some \
             questions, or add `shuffle: options` to show options in a new order for each reader",
        ),
    );
}

/// Every truefalse answer is the same (at least [`MIN_PATTERN`] of them).
fn one_sided_truefalse(r: &mut Reporter, quiz: &Quiz) {
    let answers: Vec<(usize, bool)> = quiz
        .questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| match &q.kind {
            QuestionKind::TrueFalse(t) => Some((i, t.answer)),
            QuestionKind::Single(_)
            | QuestionKind::Multiple(_)
            | QuestionKind::Scale(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_)
            | QuestionKind::Order(_)
            | QuestionKind::Match(_)
            | QuestionKind::Cloze(_) => None,
        })
        .collect();
    let Some(&(first, answer)) = answers.first() else { return };
    if answers.len() < MIN_PATTERN || answers.iter().any(|(_, a)| *a != answer) {
        return;
    }
    r.push(
        r.warning(
            r.value(at!["questions", first, "answer"]),
            format!("all {} truefalse questions have the answer `{answer}`", answers.len()),
        )
        .with_hint(format!(
            "a reader who answers `{answer}` throughout gets them all right without knowing any; reword some \
             statements so that they are {}, and give those `answer: {}`",
            !answer, !answer
        )),
    );
}

/// A dimension whose scale items are less than 40% or more than 60% reverse-keyed (with
/// [`MIN_PATTERN`] or more): a reader who agrees with everything is pushed one way.
fn reverse_keying(r: &mut Reporter, quiz: &Quiz) {
    for (d, dimension) in quiz.dimensions.iter().enumerate() {
        let items: Vec<bool> = quiz
            .questions
            .iter()
            .filter_map(|q| match &q.kind {
                QuestionKind::Scale(s) if s.dimension == dimension.id => Some(s.reverse),
                QuestionKind::Scale(_)
                | QuestionKind::Single(_)
                | QuestionKind::Multiple(_)
                | QuestionKind::TrueFalse(_)
                | QuestionKind::Text(_)
                | QuestionKind::Number(_)
                | QuestionKind::Order(_)
                | QuestionKind::Match(_)
                | QuestionKind::Cloze(_) => None,
            })
            .collect();
        let (n, reversed) = (items.len(), items.iter().filter(|r| **r).count());
        // 40% to 60%, in whole items: 10 × reversed within [4n, 6n].
        if n < MIN_PATTERN || (4 * n..=6 * n).contains(&(10 * reversed)) {
            continue;
        }
        let (lo, hi) = ((4 * n).div_ceil(10), 6 * n / 10);
        let target = if lo == hi { format!("{lo}") } else { format!("{lo} to {hi}") };
        let (more, fewer) = if 10 * reversed < 4 * n { ("more", "agrees") } else { ("fewer", "disagrees") };
        r.push(
            r.warning(
                r.value(at!["dimensions", d, "id"]),
                format!(
                    "dimension `{}` has {reversed} of its {n} scale items reverse-keyed ({}%)",
                    dimension.id,
                    (100 * reversed + n / 2) / n
                ),
            )
            .with_hint(format!(
                "a reader who {fewer} with everything is pushed to one end of `{}` whatever they think; \
                 reverse-key {more} of them, {target} of the {n} (40–60%): word the statement the other way \
                 round and add `reverse: true`",
                dimension.id
            )),
        );
    }
}

/// The rule of outcome `k`, where the warning points.
fn rule_span(r: &Reporter, quiz: &Quiz, k: usize) -> Span {
    let key = match quiz.outcomes[k].rule {
        OutcomeRule::When(_) => "when",
        OutcomeRule::Top { .. } => "top",
        OutcomeRule::Otherwise => "otherwise",
    };
    r.key(at!["outcomes", k, key])
}

/// A neutral reader labelled like a strongly leaning one: the outcome that answering every
/// scale item at its midpoint gets also takes a score at the top or bottom of a dimension's
/// range, the others staying at the midpoint (for a `top` outcome: its own dimension alone at its
/// top). Only for quizzes of scale items alone: an option question has no midpoint.
fn neutral_reader(r: &mut Reporter, quiz: &Quiz) {
    let mut totals = vec![(0.0, 0.0); quiz.dimensions.len()];
    for q in &quiz.questions {
        let scale = match &q.kind {
            QuestionKind::Scale(s) => s,
            QuestionKind::Single(_)
            | QuestionKind::Multiple(_)
            | QuestionKind::TrueFalse(_)
            | QuestionKind::Text(_)
            | QuestionKind::Number(_)
            | QuestionKind::Order(_)
            | QuestionKind::Match(_)
            | QuestionKind::Cloze(_) => return,
        };
        let Some(d) = quiz.dimension_index(&scale.dimension) else { return };
        let mid = (scale.scale.min() + scale.scale.max()) as f64 / 2.0;
        totals[d].0 += scale.weight * mid;
        totals[d].1 += scale.weight;
    }
    let neutral: Vec<f64> = quiz
        .dimensions
        .iter()
        .zip(&totals)
        .map(|(d, &(total, weight))| super::score::aggregate(d.aggregate, total, weight))
        .collect();
    let Some(at_midpoint) = quiz.outcome_for(&neutral) else { return };
    let Some(k) = quiz.outcomes.iter().position(|o| o.id == at_midpoint.id) else { return };
    let outcome = &quiz.outcomes[k];
    // The extreme scores to try: (dimension, value, "top" or "bottom").
    let extremes: Vec<(usize, f64, &str)> = match &outcome.rule {
        OutcomeRule::Top { dimension, .. } => {
            quiz.dimension_index(dimension).map(|d| (d, quiz.dimensions[d].max, "top")).into_iter().collect()
        }
        OutcomeRule::When(_) | OutcomeRule::Otherwise => (0..quiz.dimensions.len())
            .flat_map(|d| [(d, quiz.dimensions[d].max, "top"), (d, quiz.dimensions[d].min, "bottom")])
            .collect(),
    };
    let Some(&(d, value, end)) = extremes.iter().find(|&&(d, value, _)| {
        let mut scores = neutral.clone();
        scores[d] = value;
        quiz.outcome_for(&scores).is_some_and(|o| o.id == outcome.id)
    }) else {
        return;
    };
    let neutral_text: Vec<String> =
        quiz.dimensions.iter().zip(&neutral).map(|(d, v)| format!("{} {}", d.id, number(*v))).collect();
    // A box around the midpoint, an eighth of each range either side.
    let around: Vec<String> = quiz
        .dimensions
        .iter()
        .zip(&neutral)
        .map(|(dim, mid)| {
            let half = (dim.max - dim.min) / 8.0;
            format!("{}: {{ min: {}, below: {} }}", dim.id, number(mid - half), number(mid + half))
        })
        .collect();
    r.push(
        r.warning(
            rule_span(r, quiz, k),
            format!(
                "a reader who answers every item at its midpoint ({}) gets `{}`, as does one at {} {} (the {end} \
                 of its range)",
                neutral_text.join(", "),
                outcome.id,
                quiz.dimensions[d].id,
                number(value)
            ),
        )
        .with_hint(format!(
            "a reader with no clear lean is told the same as a strongly leaning one; add, before `{}`, an \
             outcome for the middle such as `when: {{ {} }}` titled like \"No clear lean\", and {}. In each \
             result, say what a score near the cut means",
            outcome.id,
            around.join(", "),
            match outcome.rule {
                OutcomeRule::Top { .. } => {
                    "give each `top` outcome a `when` that starts where the middle ends (`min` at its `below`), \
                     with `otherwise: true` last for the rest"
                }
                OutcomeRule::When(_) | OutcomeRule::Otherwise => "narrow the outcomes it overlaps",
            }
        )),
    );
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::diagnostic::Severity;
    use crate::quiz::testing::*;

    /// Every diagnostic of `src`, rendered as `tandem check` prints it (no colour).
    fn rendered(src: &str) -> String {
        let (_, diagnostics) = crate::quiz::parse(Path::new("content/quizzes/lints.yaml"), src);
        diagnostics.iter().map(|d| d.render(false)).collect::<Vec<_>>().join("\n\n")
    }

    /// A single-choice question with these options, the `correct` one marked.
    fn single(options: &[&str], correct: usize) -> String {
        let mut q = "  - type: single\n    prompt: P\n    options:\n".to_string();
        for (j, text) in options.iter().enumerate() {
            let mark = if j == correct { ", correct: true" } else { "" };
            q += &format!("      - {{ text: \"{text}\"{mark} }}\n");
        }
        q
    }

    const LONG: &str = "The long, careful and fully qualified answer";

    /// Every knowledge lint at once, as the author sees them.
    #[test]
    fn knowledge_lints_as_check_prints_them() {
        let mut questions = String::new();
        for _ in 0..4 {
            questions += &single(&["Short", LONG, "Brief"], 1);
        }
        questions += &single(&["One", "Two", "None of the above"], 1);
        questions += &"  - { type: truefalse, prompt: P, answer: true }\n".repeat(4);
        questions += "  - type: multiple\n    prompt: P\n    options: [{ text: a, correct: true }, { text: b }, { text: All of the above, correct: true }]\n";
        let src = knowledge(&questions);
        let all = problems(&src);
        assert!(all.iter().all(|p| p.severity == Severity::Warning), "{all:#?}");
        assert_eq!(all.len(), 5, "{all:#?}");
        insta::assert_snapshot!(rendered(&src));
    }

    /// Both assessment lints at once.
    #[test]
    fn assessment_lints_as_check_prints_them() {
        let mut src = String::from(
            "title: T\nmode: assessment\ndimensions:\n  - { id: closeness, aggregate: mean }\n  - { id: autonomy, aggregate: mean }\nquestions:\n",
        );
        for k in 0..5 {
            src += &format!(
                "  - {{ type: scale, prompt: P, scale: agree5, dimension: closeness, reverse: {} }}\n",
                k == 0
            );
        }
        for k in 0..4 {
            src += &format!(
                "  - {{ type: scale, prompt: P, scale: agree5, dimension: autonomy, reverse: {} }}\n",
                k < 2
            );
        }
        src += "outcomes:\n  - { id: close, title: C, when: { closeness: { min: 3 } } }\n  - { id: apart, title: A, when: { closeness: { below: 3 } } }\n";
        assert_eq!(problems(&src).len(), 2, "{:#?}", problems(&src));
        insta::assert_snapshot!(rendered(&src));
    }

    #[test]
    fn the_longest_correct_option_needs_three_quarters_of_at_least_four_questions() {
        let longest = single(&["Short", LONG, "Brief"], 1);
        let shortest = single(&["Short", LONG, "Brief"], 0);
        let count =
            |src: &str| problems(src).iter().filter(|p| p.message.contains("is the longest one")).count();
        // 3 of 4: warned, at the first one's correct option.
        let src = knowledge(&(longest.repeat(3) + &single(&["Short", LONG, "Brief"], 2)));
        let p = find(&src, "the correct option is the longest one in 3 of the 4 single-choice questions");
        assert_eq!((p.severity, p.line), (Severity::Warning, line_of(&src, LONG)));
        assert!(p.hint.contains("in `q1`, `q2` and `q3`"), "{}", p.hint);
        // 2 of 4, or all of only 3: not a pattern worth a warning.
        assert_eq!(count(&knowledge(&(longest.repeat(2) + &shortest.repeat(2)))), 0);
        assert_eq!(count(&knowledge(&longest.repeat(3))), 0);
        // A tie for longest is not "the longest".
        let tied = single(&["Same length A", "Same length B", "C"], 1);
        assert_eq!(count(&knowledge(&tied.repeat(4))), 0);
    }

    #[test]
    fn the_same_position_every_time_unless_the_options_are_shuffled() {
        let at = |j: usize| single(&["Alpha one", "Bravo two", "Charlie three"], j);
        let src = knowledge(&at(2).repeat(3));
        let p = find(&src, "the correct option is option 3 in all 3 single-choice questions");
        assert_eq!(p.line, line_of(&src, "Charlie"));
        assert!(p.hint.contains("`shuffle: options`"), "{}", p.hint);
        let none = |src: &str| problems(src).iter().all(|p| !p.message.contains("in all"));
        assert!(none(&knowledge(&(at(2).repeat(2) + &at(0)))));
        assert!(none(&knowledge(&at(2).repeat(2))), "two questions agree by chance too often");
        assert!(none(&knowledge(&at(2).repeat(3)).replace("questions:", "shuffle: options\nquestions:")));
        assert!(none(&knowledge(&at(2).repeat(3)).replace("questions:", "shuffle: all\nquestions:")));
        // Shuffling only the questions keeps each question's options in place: still warned.
        assert!(!none(&knowledge(&at(2).repeat(3)).replace("questions:", "shuffle: questions\nquestions:")));
    }

    #[test]
    fn catch_all_options_in_any_spelling() {
        for text in ["All of the above", "  none OF the Above.", "Nöne of these", "(all the above)"] {
            let src = knowledge(&single(&["One", "Two", text], 0));
            let p = find(&src, "option 3 is");
            assert_eq!((p.severity, p.line), (Severity::Warning, line_of(&src, text)), "{text}");
            assert!(p.hint.contains("type: multiple"), "{}", p.hint);
        }
        let fine = knowledge(&single(&["Above the line", "Not all of them"], 0));
        assert!(problems(&fine).is_empty(), "{:#?}", problems(&fine));
        // In an assessment an option is a statement about the reader, not a trick.
        let src = "title: T\nmode: assessment\ndimensions: [{ id: x }]\nquestions:\n  - type: single\n    prompt: P\n    options: [{ text: All of the above, points: { x: 1 } }, { text: b, points: { x: 2 } }]\noutcomes:\n  - { id: all, title: A, when: {} }\n";
        assert!(problems(src).iter().all(|p| !p.message.contains("above")), "{:#?}", problems(src));
    }

    #[test]
    fn one_sided_truefalse_needs_four_alike() {
        let tf = |answer: bool| format!("  - {{ type: truefalse, prompt: P, answer: {answer} }}\n");
        let src = knowledge(&tf(false).repeat(4));
        let p = find(&src, "all 4 truefalse questions have the answer `false`");
        assert_eq!(p.line, line_of(&src, "answer: false"));
        assert!(p.hint.contains("give those `answer: true`"), "{}", p.hint);
        assert!(problems(&knowledge(&tf(true).repeat(3))).is_empty());
        assert!(problems(&knowledge(&(tf(true).repeat(3) + &tf(false)))).is_empty());
    }

    /// An assessment on one `mean` dimension: `n` agree5 items, the first `reversed` reverse-keyed.
    fn keyed(n: usize, reversed: usize) -> String {
        let mut src = String::from(
            "title: T\nmode: assessment\ndimensions: [{ id: x, aggregate: mean }]\nquestions:\n",
        );
        for k in 0..n {
            src += &format!(
                "  - {{ type: scale, prompt: P, scale: agree5, dimension: x, reverse: {} }}\n",
                k < reversed
            );
        }
        src + "outcomes:\n  - { id: all, title: A, when: {} }\n"
    }

    #[test]
    fn reverse_keying_between_40_and_60_percent() {
        let warned = |n, r| problems(&keyed(n, r)).iter().any(|p| p.message.contains("reverse-keyed"));
        assert!(!warned(5, 2) && !warned(5, 3) && !warned(6, 3), "40%, 60% and half are balanced");
        assert!(warned(6, 2) && warned(6, 4) && warned(4, 0) && warned(4, 4));
        assert!(!warned(3, 0), "fewer than four items");
        let src = keyed(6, 1);
        let p = find(&src, "dimension `x` has 1 of its 6 scale items reverse-keyed (17%)");
        assert_eq!(p.line, line_of(&src, "id: x"));
        assert!(p.hint.contains("reverse-key more of them, 3 of the 6"), "{}", p.hint);
        let p = find(&keyed(5, 4), "has 4 of its 5 scale items reverse-keyed (80%)");
        assert!(p.hint.contains("who disagrees with everything"), "{}", p.hint);
        assert!(p.hint.contains("fewer of them, 2 to 3 of the 5"), "{}", p.hint);
    }

    /// Two `mean` dimensions, four agree5 items each (two reversed), with these outcomes.
    fn two_dimensions(outcomes: &str) -> String {
        let mut src = String::from(
            "title: T\nmode: assessment\ndimensions:\n  - { id: a, aggregate: mean }\n  - { id: b, aggregate: mean }\nquestions:\n",
        );
        for d in ["a", "b"] {
            for k in 0..4 {
                src += &format!(
                    "  - {{ type: scale, prompt: P, scale: agree5, dimension: {d}, reverse: {} }}\n",
                    k < 2
                );
            }
        }
        src + "outcomes:\n" + outcomes
    }

    #[test]
    fn a_neutral_reader_labelled_like_a_leaning_one() {
        // Quadrants: the midpoint (3, 3) falls in `both`, which also takes a = 5.
        let quadrants = "  - { id: both, title: B, when: { a: { min: 3 }, b: { min: 3 } } }\n  - { id: a-only, title: A, when: { a: { min: 3 }, b: { below: 3 } } }\n  - { id: b-only, title: B, when: { a: { below: 3 }, b: { min: 3 } } }\n  - { id: neither, title: N, when: { a: { below: 3 }, b: { below: 3 } } }\n";
        let src = two_dimensions(quadrants);
        let p = find(&src, "answers every item at its midpoint");
        assert_eq!(
            p.message,
            "a reader who answers every item at its midpoint (a 3, b 3) gets `both`, as does one at a 5 (the top of its range)"
        );
        assert_eq!((p.severity, p.line), (Severity::Warning, line_of(&src, "id: both")));
        assert!(
            p.hint.contains("`when: { a: { min: 2.5, below: 3.5 }, b: { min: 2.5, below: 3.5 } }`"),
            "{}",
            p.hint
        );
        // The fix: a box around the middle, listed first, the others narrowed to leave it.
        let fixed = "  - { id: middle, title: M, when: { a: { min: 2.5, below: 3.5 }, b: { min: 2.5, below: 3.5 } } }\n  - { id: rest, title: R, otherwise: true }\n";
        assert!(problems(&two_dimensions(fixed)).is_empty(), "{:#?}", problems(&two_dimensions(fixed)));
        // Plain `top`: the midpoint tie goes to `a`, which its dimension alone at the top gets too.
        let tops = "  - { id: ta, title: A, top: a }\n  - { id: tb, title: B, top: b }\n";
        let p = find(&two_dimensions(tops), "answers every item at its midpoint");
        assert!(p.message.ends_with("gets `ta`, as does one at a 5 (the top of its range)"), "{}", p.message);
        assert!(p.hint.contains("give each `top` outcome a `when`"), "{}", p.hint);
        // `top` + `when` starting where a middle box ends, and `otherwise` for the rest: no warning.
        let fixed = "  - { id: ta, title: A, top: a, when: { a: { min: 3.5 } } }\n  - { id: tb, title: B, top: b, when: { b: { min: 3.5 } } }\n  - { id: middle, title: M, when: { a: { min: 2.5, below: 3.5 }, b: { min: 2.5, below: 3.5 } } }\n  - { id: rest, title: R, otherwise: true }\n";
        assert!(problems(&two_dimensions(fixed)).is_empty(), "{:#?}", problems(&two_dimensions(fixed)));
        // `otherwise` at the midpoint that also takes the bottom of a range is warned too.
        let low = "  - { id: ta, title: A, top: a, when: { a: { min: 3.5 } } }\n  - { id: tb, title: B, top: b, when: { b: { min: 3.5 } } }\n  - { id: rest, title: R, otherwise: true }\n";
        let p = find(&two_dimensions(low), "answers every item at its midpoint");
        assert!(
            p.message.ends_with("gets `rest`, as does one at a 1 (the bottom of its range)"),
            "{}",
            p.message
        );
        // With an option question there is no midpoint answer: no verdict.
        let with_option = two_dimensions(quadrants).replace(
            "outcomes:",
            "  - type: single\n    prompt: P\n    options: [{ text: x, points: { a: 1 } }, { text: y, points: { a: 5 } }]\noutcomes:",
        );
        assert!(problems(&with_option).iter().all(|p| !p.message.contains("midpoint")));
    }
}
