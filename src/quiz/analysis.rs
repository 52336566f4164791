//! The outcome proof: which scores a reader can reach, and whether the outcomes cover all of them
//! with no gap and no overlap, each outcome reachable (SPEC §3, `tandem check`).
//!
//! **Reachable scores.** Every combination of answers is finite, so the reachable scores are
//! enumerated, not estimated. Dimensions that share a question (an option giving points to two
//! of them) are *correlated* and enumerated jointly, as one group; dimensions in different
//! groups share no question, so their combinations are exactly the product of the groups'. A
//! group's state is, per dimension, the running total and (for `mean`) the running weight,
//! updated question by question in question order with the very additions the scorer makes, so
//! the values found are bit-for-bit the floats the scorer computes. States are deduplicated by
//! their bits. When a group has more than [`MAX_STATES`] states, its dimensions fall back to an
//! over-approximation, each on its own: the interval the dimension can lie in, sampled on a grid
//! plus every cut point and just below it. Findings from a fallback are warnings, since the
//! sampled values may not all be reachable.
//!
//! **Coverage.** Which outcomes hold at a score depends only on its *signature*: for each
//! dimension, which interval between the `when` cut points (`min`/`below` values) it falls in,
//! and, when there are `top` outcomes, which dimensions share the highest score. The proof
//! enumerates the reachable signatures (for `top`, once per candidate highest score) with one
//! concrete reachable score for each, and checks each: no outcome → a gap, two → an overlap, and
//! an outcome holding at none is unreachable. For overlaps a `top` outcome holds only where no
//! earlier `top` outcome does (SPEC: ties go to the earliest listed), so `top` outcomes never
//! overlap each other.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::check::{Reporter, contributes_to};
use super::locate::at;
use super::model::*;
use super::score::aggregate;

/// Above this many states (distinct combinations of running totals) in one group of correlated
/// dimensions, the group falls back to a sampled over-approximation.
const MAX_STATES: usize = 200_000;
/// Above this many options, a multiple-select question's 2ⁿ answers are not enumerated.
const MAX_ENUMERATED_OPTIONS: usize = 12;
/// How many signatures the coverage check evaluates at most.
const MAX_SIGNATURES: usize = 2_000_000;
/// Grid points per dimension in the fallback.
const FALLBACK_GRID: usize = 200;
/// How many gaps are reported one by one.
const MAX_GAPS_REPORTED: usize = 3;

/// The scores one group of correlated dimensions can reach.
#[derive(Debug, Clone)]
struct GroupScores {
    /// Indices into `quiz.dimensions`.
    dims: Vec<usize>,
    /// Each reachable combination: one value per entry of `dims`. Sorted, distinct.
    points: Vec<Vec<f64>>,
    /// False when the points are a sampled over-approximation.
    exact: bool,
}

/// Runs the analysis: reports gaps, overlaps, unreachable outcomes and unfair `top`
/// comparisons, and returns each dimension's reachable (min, max) for the score bars.
pub(crate) fn analyze(r: &mut Reporter, quiz: &Quiz) -> Vec<(f64, f64)> {
    let cuts = cut_points(quiz);
    let groups = match quiz.mode {
        Mode::Knowledge { .. } => vec![knowledge_scores(quiz, &cuts[0])],
        Mode::Assessment => assessment_scores(quiz, &cuts),
    };
    let mut ranges = vec![(0.0, 0.0); quiz.dimensions.len()];
    for group in &groups {
        for (k, &d) in group.dims.iter().enumerate() {
            let values = group.points.iter().map(|p| p[k]);
            ranges[d] =
                (values.clone().fold(f64::INFINITY, f64::min), values.fold(f64::NEG_INFINITY, f64::max));
        }
    }
    // Without outcomes there is nothing to prove, and the ranges are only for the bars.
    for group in groups.iter().filter(|g| !g.exact && !quiz.outcomes.is_empty()) {
        let names: Vec<String> = group.dims.iter().map(|&d| format!("`{}`", quiz.dimensions[d].id)).collect();
        r.push(
            r.warning(r.key(at!["outcomes"]), format!("too many reachable scores on {} to check them one by one", names.join(", ")))
                .with_hint(
                    "the outcomes were checked on a sample of scores across each dimension's range and at every \
                     cut point, so a gap or overlap reported there may not be reachable, and one may be missed",
                ),
        );
    }
    if !quiz.outcomes.is_empty() {
        let coverage = check_coverage(quiz, &groups, &cuts);
        report_coverage(r, quiz, &coverage, &ranges);
        warn_unfair_top(r, quiz, &ranges);
    }
    ranges
}

/// For each dimension, the distinct `min`/`below` values of the `when` bounds on it, ascending.
fn cut_points(quiz: &Quiz) -> Vec<Vec<f64>> {
    let mut cuts = vec![Vec::new(); quiz.dimensions.len()];
    for outcome in &quiz.outcomes {
        if let OutcomeRule::When(bounds) = &outcome.rule {
            for b in bounds {
                if let Some(d) = quiz.dimension_index(&b.dimension) {
                    cuts[d].extend(b.min.iter().chain(&b.below));
                }
            }
        }
    }
    for c in &mut cuts {
        c.sort_by(f64::total_cmp);
        c.dedup();
    }
    cuts
}

/// A float's identity for deduplication: its bits, with −0 folded into +0.
fn key(x: f64) -> u64 {
    (x + 0.0).to_bits()
}

fn sorted_distinct(mut points: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    points.sort_by(|a, b| {
        a.iter().zip(b).map(|(x, y)| x.total_cmp(y)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
    });
    points.dedup_by(|a, b| a.iter().zip(b.iter()).all(|(x, y)| key(*x) == key(*y)));
    points
}

/// Knowledge: the one dimension `score` = 100 × earned / possible, over every combination of
/// what each question can earn.
fn knowledge_scores(quiz: &Quiz, cuts: &[f64]) -> GroupScores {
    let possible: f64 = quiz.questions.iter().fold(0.0, |sum, q| sum + q.points.unwrap_or(1.0));
    let mut earned: HashSet<u64> = HashSet::from([key(0.0)]);
    for q in &quiz.questions {
        let points = q.points.unwrap_or(1.0);
        // Every knowledge question can also earn 0: a wrong answer always exists (checked).
        let can_earn: Vec<f64> = match &q.kind {
            QuestionKind::Multiple { options, partial: true } => {
                let correct = options.iter().filter(|o| o.credit.is_correct()).count();
                (0..=correct).map(|net| points * net as f64 / correct as f64).collect()
            }
            _ => vec![0.0, points],
        };
        let mut next = HashSet::new();
        for e in &earned {
            for add in &can_earn {
                next.insert(key(f64::from_bits(*e) + add));
            }
        }
        earned = next;
        if earned.len() > MAX_STATES {
            return GroupScores { dims: vec![0], points: sampled(0.0, 100.0, cuts), exact: false };
        }
    }
    let points = earned.into_iter().map(|e| vec![100.0 * f64::from_bits(e) / possible]).collect();
    GroupScores { dims: vec![0], points: sorted_distinct(points), exact: true }
}

/// Assessment: the dimensions split into groups linked by shared questions, each enumerated.
fn assessment_scores(quiz: &Quiz, cuts: &[Vec<f64>]) -> Vec<GroupScores> {
    let n = quiz.dimensions.len();
    let touches: Vec<Vec<usize>> = quiz
        .questions
        .iter()
        .map(|q| (0..n).filter(|&d| contributes_to(q, &quiz.dimensions[d].id)).collect())
        .collect();
    // Union-find over dimensions: a question touching several joins them.
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut d: usize) -> usize {
        while parent[d] != d {
            parent[d] = parent[parent[d]];
            d = parent[d];
        }
        d
    }
    for dims in &touches {
        for pair in dims.windows(2) {
            let (a, b) = (root(&mut parent, pair[0]), root(&mut parent, pair[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for d in 0..n {
        let r = root(&mut parent, d);
        members.entry(r).or_default().push(d);
    }
    let mut groups = Vec::new();
    for dims in members.into_values() {
        match enumerate_group(quiz, &dims, &touches) {
            Some(points) => groups.push(GroupScores { dims, points, exact: true }),
            None => {
                for d in dims {
                    let (lo, hi) = dimension_bounds(quiz, d);
                    groups.push(GroupScores {
                        dims: vec![d],
                        points: sampled(lo, hi, &cuts[d]),
                        exact: false,
                    });
                }
            }
        }
    }
    groups
}

/// One way of answering a question, as the scorer applies it to a group's state: additions to
/// slots, in order. Slot `2k` is dimension k's total, `2k + 1` its weight (`mean` only).
type Move = Vec<(usize, f64)>;

/// The moves of `question` on a group of dimensions (`dims`, with `touched` the ones it
/// contributes to); `None` when there are too many to enumerate.
fn moves(quiz: &Quiz, question: &Question, dims: &[usize], touched: &[usize]) -> Option<Vec<Move>> {
    let slot = |d: usize| 2 * dims.iter().position(|&x| x == d).expect("touched dimensions are in the group");
    let is_mean = |d: usize| quiz.dimensions[d].aggregate == Aggregate::Mean;
    let mut moves: Vec<Move> = Vec::new();
    match &question.kind {
        QuestionKind::Scale { scale, reverse, weight, .. } => {
            let d = touched[0];
            for picked in scale.min()..=scale.max() {
                let mut m = vec![(slot(d), weight * scale.value(picked, *reverse) as f64)];
                if is_mean(d) {
                    m.push((slot(d) + 1, *weight));
                }
                moves.push(m);
            }
        }
        kind => {
            let options = kind.options();
            let picks: Vec<Vec<usize>> = match kind {
                QuestionKind::Multiple { .. } if options.len() > MAX_ENUMERATED_OPTIONS => return None,
                QuestionKind::Multiple { .. } => (1..1u32 << options.len())
                    .map(|mask| (0..options.len()).filter(|i| mask & (1 << i) != 0).collect())
                    .collect(),
                _ => (0..options.len()).map(|i| vec![i]).collect(),
            };
            for picked in picks {
                let mut m = Vec::new();
                for &d in touched {
                    let id = &quiz.dimensions[d].id;
                    m.extend(
                        picked.iter().filter_map(|&i| options[i].credit.points_for(id)).map(|p| (slot(d), p)),
                    );
                    if is_mean(d) {
                        m.push((slot(d) + 1, 1.0));
                    }
                }
                moves.push(m);
            }
        }
    }
    if !question.required {
        moves.push(Vec::new());
    }
    Some(moves)
}

/// Every reachable combination of the group's dimension scores, or `None` past [`MAX_STATES`].
fn enumerate_group(quiz: &Quiz, dims: &[usize], touches: &[Vec<usize>]) -> Option<Vec<Vec<f64>>> {
    let mut states: HashSet<Vec<u64>> = HashSet::from([vec![key(0.0); 2 * dims.len()]]);
    for (q, touched) in quiz.questions.iter().zip(touches) {
        if !touched.iter().any(|d| dims.contains(d)) {
            continue;
        }
        let moves = moves(quiz, q, dims, touched)?;
        let mut next = HashSet::with_capacity(states.len() * 2);
        for state in &states {
            for m in &moves {
                let mut s: Vec<f64> = state.iter().map(|b| f64::from_bits(*b)).collect();
                for &(slot, add) in m {
                    s[slot] += add;
                }
                next.insert(s.into_iter().map(key).collect::<Vec<u64>>());
            }
            if next.len() > MAX_STATES {
                return None;
            }
        }
        states = next;
    }
    let points = states
        .into_iter()
        .map(|s| {
            dims.iter()
                .enumerate()
                .map(|(k, &d)| {
                    let (total, weight) = (f64::from_bits(s[2 * k]), f64::from_bits(s[2 * k + 1]));
                    aggregate(quiz.dimensions[d].aggregate, total, weight)
                })
                .collect()
        })
        .collect();
    Some(sorted_distinct(points))
}

/// Bounds that contain every reachable score of dimension `d` (not necessarily tight), for the
/// fallback. A sum lies between the sums of each question's lowest and highest contribution;
/// a mean is a weighted average of per-question ratios, so it lies between the lowest and
/// highest ratio (or is 0 when nothing contributing was answered).
fn dimension_bounds(quiz: &Quiz, d: usize) -> (f64, f64) {
    let dimension = &quiz.dimensions[d];
    let (mut sum_lo, mut sum_hi) = (0.0, 0.0);
    let (mut ratio_lo, mut ratio_hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut may_be_empty = true;
    for q in quiz.questions.iter().filter(|q| contributes_to(q, &dimension.id)) {
        let (lo, hi, weight) = match &q.kind {
            QuestionKind::Scale { scale, reverse, weight, .. } => {
                let a = weight * scale.value(scale.min(), *reverse) as f64;
                let b = weight * scale.value(scale.max(), *reverse) as f64;
                (a.min(b), a.max(b), *weight)
            }
            kind => {
                let points: Vec<f64> = kind
                    .options()
                    .iter()
                    .map(|o| o.credit.points_for(&dimension.id).unwrap_or(0.0))
                    .collect();
                if let QuestionKind::Multiple { .. } = kind {
                    // Any non-empty subset: at least the most negative single pick.
                    let negatives: f64 = points.iter().filter(|p| **p < 0.0).sum();
                    let positives: f64 = points.iter().filter(|p| **p > 0.0).sum();
                    let least = points.iter().copied().fold(f64::INFINITY, f64::min);
                    let most = points.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    (negatives.min(least), positives.max(most), 1.0)
                } else {
                    let least = points.iter().copied().fold(f64::INFINITY, f64::min);
                    let most = points.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    (least, most, 1.0)
                }
            }
        };
        let (lo_with_skip, hi_with_skip) = if q.required { (lo, hi) } else { (lo.min(0.0), hi.max(0.0)) };
        sum_lo += lo_with_skip;
        sum_hi += hi_with_skip;
        ratio_lo = ratio_lo.min(lo / weight);
        ratio_hi = ratio_hi.max(hi / weight);
        may_be_empty &= !q.required;
    }
    match dimension.aggregate {
        Aggregate::Sum => (sum_lo, sum_hi),
        _ if ratio_lo > ratio_hi => (0.0, 0.0),
        _ if may_be_empty => (ratio_lo.min(0.0), ratio_hi.max(0.0)),
        _ => (ratio_lo, ratio_hi),
    }
}

/// The fallback's sample of [lo, hi]: a grid, the ends, every cut point inside and a hair below
/// each (the last value of the interval before it).
fn sampled(lo: f64, hi: f64, cuts: &[f64]) -> Vec<Vec<f64>> {
    let step = (hi - lo) / FALLBACK_GRID as f64;
    let hair = ((hi - lo) * 1e-9).max(1e-12);
    let mut values: Vec<f64> = (0..=FALLBACK_GRID).map(|i| lo + step * i as f64).collect();
    values.push(hi);
    for &c in cuts.iter().filter(|c| **c > lo && **c <= hi) {
        values.extend([c, c - hair]);
    }
    sorted_distinct(values.into_iter().map(|v| vec![v]).collect())
}

/// What the coverage check found.
#[derive(Debug, Default)]
struct Coverage {
    /// Reachable scores (one per distinct signature) matching no outcome, in the order found.
    gaps: Vec<Vec<f64>>,
    gap_count: usize,
    /// For each pair of outcomes (by index) that both match some reachable score: one such score.
    overlaps: BTreeMap<(usize, usize), Vec<f64>>,
    /// Whether each outcome matches some reachable score.
    reached: Vec<bool>,
    /// The scores behind a finding came from a fallback sample.
    approximate: bool,
    /// The check stopped at [`MAX_SIGNATURES`].
    truncated: bool,
}

/// The cells of a point's dimensions (`cell = how many cut points are ≤ the value`), and which
/// of them equal the candidate highest score.
type Signature = (Vec<usize>, Vec<bool>);

fn check_coverage(quiz: &Quiz, groups: &[GroupScores], cuts: &[Vec<f64>]) -> Coverage {
    let n = quiz.dimensions.len();
    let mut coverage = Coverage {
        reached: vec![false; quiz.outcomes.len()],
        approximate: groups.iter().any(|g| !g.exact),
        ..Coverage::default()
    };
    let cell = |d: usize, v: f64| cuts[d].partition_point(|c| *c <= v);
    let has_top = quiz.outcomes.iter().any(|o| matches!(o.rule, OutcomeRule::Top(_)));
    // Candidate highest scores: with `top` outcomes, every reachable value of every dimension;
    // without, one pass with no candidate (the highest score does not matter).
    let candidates: Vec<Option<f64>> = if has_top {
        let all: BTreeSet<u64> =
            groups.iter().flat_map(|g| g.points.iter().flatten().map(|v| key(*v))).collect();
        let mut values: Vec<f64> = all.into_iter().map(f64::from_bits).collect();
        values.sort_by(f64::total_cmp);
        values.into_iter().map(Some).collect()
    } else {
        vec![None]
    };

    let mut seen: HashSet<Signature> = HashSet::new();
    let mut evaluated = 0usize;
    'candidates: for highest in candidates {
        // Per group: its distinct partial signatures (in its own dimension order) under this
        // highest score, each with the first (smallest) point that has it.
        let mut per_group: Vec<Vec<(Signature, &Vec<f64>)>> = Vec::new();
        for g in groups {
            let mut distinct: HashSet<Signature> = HashSet::new();
            let mut found: Vec<(Signature, &Vec<f64>)> = Vec::new();
            for p in &g.points {
                if highest.is_some_and(|m| p.iter().any(|v| *v > m)) {
                    continue;
                }
                let signature: Signature = (
                    g.dims.iter().zip(p).map(|(&d, &v)| cell(d, v)).collect(),
                    p.iter().map(|v| highest == Some(*v)).collect(),
                );
                if distinct.insert(signature.clone()) {
                    found.push((signature, p));
                }
            }
            if found.is_empty() {
                continue 'candidates;
            }
            per_group.push(found);
        }
        // Every combination across groups (an odometer over the per-group lists).
        let mut choice = vec![0usize; per_group.len()];
        loop {
            let mut values = vec![0.0; n];
            let mut signature: Signature = (vec![0; n], vec![false; n]);
            for (gi, (g, &c)) in groups.iter().zip(&choice).enumerate() {
                let ((cells, is_highest), point) = &per_group[gi][c];
                for (k, &d) in g.dims.iter().enumerate() {
                    values[d] = point[k];
                    signature.0[d] = cells[k];
                    signature.1[d] = is_highest[k];
                }
            }
            // With a candidate, only combinations whose highest score is that candidate count.
            let relevant = highest.is_none() || signature.1.iter().any(|h| *h);
            if relevant && seen.insert(signature.clone()) {
                evaluated += 1;
                if evaluated > MAX_SIGNATURES {
                    coverage.truncated = true;
                    break 'candidates;
                }
                record(quiz, &mut coverage, &values, &signature.1);
            }
            // Advance the odometer.
            let mut g = 0;
            loop {
                if g == choice.len() {
                    continue 'candidates;
                }
                choice[g] += 1;
                if choice[g] < per_group[g].len() {
                    break;
                }
                choice[g] = 0;
                g += 1;
            }
        }
    }
    coverage
}

/// Which outcomes hold at a reachable score, with `is_highest` saying which dimensions share
/// the highest score; records a gap, overlaps, and reached outcomes.
fn record(quiz: &Quiz, coverage: &mut Coverage, values: &[f64], is_highest: &[bool]) {
    let mut holding = Vec::new();
    let mut top_taken = false;
    for (k, outcome) in quiz.outcomes.iter().enumerate() {
        let holds = match &outcome.rule {
            OutcomeRule::When(bounds) => {
                bounds.iter().all(|b| quiz.dimension_index(&b.dimension).is_some_and(|d| b.holds(values[d])))
            }
            // A tie among `top` outcomes goes to the earliest listed: later ones do not hold.
            OutcomeRule::Top(dimension) => {
                let highest = !top_taken && quiz.top_holds(dimension, is_highest);
                top_taken |= highest;
                highest
            }
        };
        if holds {
            holding.push(k);
            coverage.reached[k] = true;
        }
    }
    match holding[..] {
        [] => {
            coverage.gap_count += 1;
            if coverage.gaps.len() < MAX_GAPS_REPORTED {
                coverage.gaps.push(values.to_vec());
            }
        }
        [_] => {}
        _ => {
            for (i, &a) in holding.iter().enumerate() {
                for &b in &holding[i + 1..] {
                    coverage.overlaps.entry((a, b)).or_insert_with(|| values.to_vec());
                }
            }
        }
    }
}

/// A score as the author reads it: `closeness 2, autonomy 4.5`.
fn describe(quiz: &Quiz, values: &[f64]) -> String {
    quiz.dimensions
        .iter()
        .zip(values)
        .map(|(d, v)| format!("{} {}", d.id, number(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number for a message: up to four decimals, marked `≈` when rounded.
pub(crate) fn number(x: f64) -> String {
    let rounded = (x * 1e4).round() / 1e4;
    let shown = format!("{}", rounded + 0.0);
    if rounded == x { shown } else { format!("≈{shown}") }
}

/// Where to point for an outcome's rule: its `when` or `top` key.
fn rule_key(r: &Reporter, quiz: &Quiz, k: usize) -> super::locate::Span {
    let key = match quiz.outcomes[k].rule {
        OutcomeRule::When(_) => "when",
        OutcomeRule::Top(_) => "top",
    };
    r.key(at!["outcomes", k, key])
}

fn report_coverage(r: &mut Reporter, quiz: &Quiz, coverage: &Coverage, ranges: &[(f64, f64)]) {
    // Sampled scores may not be reachable: findings from them are only warnings.
    let finding = |r: &Reporter, span, message: String| {
        if coverage.approximate { r.warning(span, message) } else { r.error(span, message) }
    };
    let range_hint = {
        let ranges: Vec<String> = quiz
            .dimensions
            .iter()
            .zip(ranges)
            .map(|(d, (lo, hi))| format!("`{}` reaches {} to {}", d.id, number(*lo), number(*hi)))
            .collect();
        ranges.join(", ")
    };
    for (i, gap) in coverage.gaps.iter().enumerate() {
        let more = coverage.gap_count - coverage.gaps.len();
        let hint = if i + 1 == coverage.gaps.len() && more > 0 {
            format!("add an outcome for it or widen a `when` bound ({more} more such gaps); {range_hint}")
        } else {
            format!("add an outcome for it or widen a `when` bound; {range_hint}")
        };
        r.push(
            finding(
                r,
                r.key(at!["outcomes"]),
                format!("the reachable score {} matches no outcome", describe(quiz, gap)),
            )
            .with_hint(hint),
        );
    }
    for (&(a, b), score) in &coverage.overlaps {
        let (first, second) = (&quiz.outcomes[a].id, &quiz.outcomes[b].id);
        r.push(
            finding(
                r,
                rule_key(r, quiz, b),
                format!("the score {} matches both `{first}` and `{second}`", describe(quiz, score)),
            )
            .with_hint(format!(
                "readers with it would always get `{first}`, listed first; make the ranges meet without \
                     overlapping (one's `below` is the next one's `min`)"
            )),
        );
    }
    // An unreachable verdict needs every reachable score checked, exactly.
    if coverage.truncated || coverage.approximate {
        if coverage.truncated {
            r.push(r.warning(r.key(at!["outcomes"]), "too many distinct scores to check every one").with_hint(format!(
                "{MAX_SIGNATURES} were checked; the outcomes may still have a gap or an overlap elsewhere"
            )));
        }
        return;
    }
    for (k, outcome) in quiz.outcomes.iter().enumerate() {
        if coverage.reached[k] {
            continue;
        }
        let hint = match &outcome.rule {
            OutcomeRule::When(_) => format!("no reachable score satisfies its `when`: {range_hint}"),
            OutcomeRule::Top(d) => {
                let earlier = quiz.outcomes[..k].iter().any(|o| o.rule == OutcomeRule::Top(d.clone()));
                if earlier {
                    format!("an earlier outcome already has `top: {d}`, and ties go to the earliest listed")
                } else {
                    format!("`{d}` never scores highest without tying an earlier `top` outcome's dimension")
                }
            }
        };
        r.push(
            r.error(rule_key(r, quiz, k), format!("outcome `{}` can never be the result", outcome.id))
                .with_hint(hint),
        );
    }
}

/// SPEC warning: `top` outcomes compare dimensions whose highest possible scores differ, so one
/// wins more easily.
fn warn_unfair_top(r: &mut Reporter, quiz: &Quiz, ranges: &[(f64, f64)]) {
    let tops: Vec<(usize, usize)> = quiz
        .outcomes
        .iter()
        .enumerate()
        .filter_map(|(k, o)| match &o.rule {
            OutcomeRule::Top(d) => quiz.dimension_index(d).map(|d| (k, d)),
            OutcomeRule::When(_) => None,
        })
        .collect();
    let Some(&(_, first)) = tops.first() else { return };
    if let Some(&(k, d)) = tops.iter().find(|(_, d)| ranges[*d].1 != ranges[first].1) {
        let maxima: Vec<String> = tops
            .iter()
            .map(|(_, d)| format!("`{}` {}", quiz.dimensions[*d].id, number(ranges[*d].1)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        r.push(
            r.warning(
                r.value(at!["outcomes", k, "top"]),
                format!(
                    "`top` compares dimensions with different highest scores: `{}` reaches {}, `{}` reaches {}",
                    quiz.dimensions[first].id,
                    number(ranges[first].1),
                    quiz.dimensions[d].id,
                    number(ranges[d].1)
                ),
            )
            .with_hint(format!(
                "the comparison favours the dimension that can score higher ({}); give them the same number \
                 of items and scales, or use `aggregate: mean`",
                maxima.join(", ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::quiz::testing::*;
    use crate::quiz::{Answer, Answers, score};

    /// An assessment on two `mean` dimensions, three required agree5 items each, with these
    /// outcomes (YAML list items).
    fn two_means(outcomes: &str) -> String {
        let mut src = String::from(
            "title: T\nmode: assessment\ndimensions:\n  - { id: closeness, aggregate: mean }\n  - { id: autonomy, aggregate: mean }\nquestions:\n",
        );
        for d in ["closeness", "autonomy"] {
            for _ in 0..3 {
                src += &format!("  - {{ type: scale, prompt: P, scale: agree5, dimension: {d} }}\n");
            }
        }
        src + "outcomes:\n" + outcomes
    }

    #[test]
    fn a_gap_is_reported_with_a_concrete_reachable_score() {
        let src = two_means(
            "  - { id: high, title: H, when: { closeness: { min: 3 } } }\n  - { id: low, title: L, when: { closeness: { below: 2.5 } } }\n",
        );
        let all = errors(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        // Means of three 1–5 items are thirds; 8/3 is the only one in [2.5, 3).
        assert_eq!(all[0].message, "the reachable score closeness ≈2.6667, autonomy 1 matches no outcome");
        assert_eq!(all[0].line, line_of(&src, "outcomes:"));
        assert!(all[0].hint.contains("`closeness` reaches 1 to 5"), "{}", all[0].hint);
    }

    #[test]
    fn an_overlap_is_reported_with_a_concrete_score_and_both_outcomes() {
        let src = two_means(
            "  - { id: high, title: H, when: { closeness: { min: 3 } } }\n  - { id: mid, title: M, when: { closeness: { min: 2, below: 4 } } }\n  - { id: low, title: L, when: { closeness: { below: 2 } } }\n",
        );
        let all = errors(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].message, "the score closeness 3, autonomy 1 matches both `high` and `mid`");
        assert_eq!(all[0].line, line_of(&src, "id: mid"));
        assert!(all[0].hint.contains("would always get `high`"), "{}", all[0].hint);
    }

    #[test]
    fn an_outcome_no_reachable_score_matches_is_unreachable() {
        let src = two_means(
            "  - { id: beyond, title: B, when: { closeness: { min: 6 } } }\n  - { id: all, title: A, when: { closeness: { below: 6 } } }\n",
        );
        let all = errors(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].message, "outcome `beyond` can never be the result");
        assert_eq!(all[0].line, line_of(&src, "id: beyond"));
        assert!(all[0].hint.contains("`closeness` reaches 1 to 5"), "{}", all[0].hint);
    }

    #[test]
    fn sound_quadrants_pass_and_give_each_dimension_its_range() {
        let src = two_means(
            "  - { id: a, title: A, when: { closeness: { min: 3 }, autonomy: { min: 3 } } }\n  - { id: b, title: B, when: { closeness: { min: 3 }, autonomy: { below: 3 } } }\n  - { id: c, title: C, when: { closeness: { below: 3 }, autonomy: { min: 3 } } }\n  - { id: d, title: D, when: { closeness: { below: 3 }, autonomy: { below: 3 } } }\n",
        );
        let quiz = quiz(&src);
        assert_eq!((quiz.dimensions[0].min, quiz.dimensions[0].max), (1.0, 5.0));
        let fixture = quiz_from_fixture();
        // closeness: one required agree5 (1–5), one optional, one weight 2, and an optional
        // single giving 1–5; autonomy: reversed agree5, frequency5, optional agree5, single 1–5.
        assert_eq!((fixture.dimensions[0].min, fixture.dimensions[0].max), (1.0, 5.0));
        assert_eq!((fixture.dimensions[1].min, fixture.dimensions[1].max), (1.0, 5.0));
    }

    fn quiz_from_fixture() -> crate::quiz::Quiz {
        quiz(include_str!("fixtures/assessment-quadrants.yaml"))
    }

    #[test]
    fn a_mean_with_nothing_answered_is_zero_and_must_be_covered() {
        let src = "title: T\nmode: assessment\ndimensions: [{ id: mood, aggregate: mean }]\nquestions:\n"
            .to_string()
            + &"  - { type: scale, prompt: P, scale: agree5, dimension: mood, required: false }\n".repeat(3)
            + "outcomes:\n  - { id: low, title: L, when: { mood: { min: 1, below: 3 } } }\n  - { id: high, title: H, when: { mood: { min: 3 } } }\n";
        let all = errors(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].message, "the reachable score mood 0 matches no outcome");
    }

    #[test]
    fn correlated_dimensions_are_enumerated_jointly() {
        // Each answer gives a point to exactly one of `a` and `b`, so a + b = 3 always: the
        // product of the dimensions' values (a = 0, b = 0 …) would show gaps that are not there.
        let question = "  - type: single\n    prompt: P\n    options:\n      - { text: A, points: { a: 1, b: 0 } }\n      - { text: B, points: { a: 0, b: 1 } }\n";
        let src = "title: T\nmode: assessment\ndimensions: [{ id: a }, { id: b }]\nquestions:\n".to_string()
            + &question.repeat(3)
            + "outcomes:\n  - { id: more-a, title: A, when: { a: { min: 2 }, b: { below: 2 } } }\n  - { id: more-b, title: B, when: { a: { below: 2 }, b: { min: 2 } } }\n";
        let quiz = quiz(&src);
        assert_eq!((quiz.dimensions[1].min, quiz.dimensions[1].max), (0.0, 3.0));
    }

    /// Three `sum` dimensions, `items` agree5 items each, with these outcomes.
    fn three_sums(items: [usize; 3], outcomes: &str) -> String {
        let mut src = String::from(
            "title: T\nmode: assessment\ndimensions: [{ id: talk }, { id: space }, { id: help }]\nquestions:\n",
        );
        for (d, n) in ["talk", "space", "help"].iter().zip(items) {
            src += &format!("  - {{ type: scale, prompt: P, scale: agree5, dimension: {d} }}\n").repeat(n);
        }
        src + "outcomes:\n" + outcomes
    }

    #[test]
    fn top_outcomes_over_every_dimension_are_sound() {
        let src = three_sums(
            [3, 3, 3],
            "  - { id: t, title: T, top: talk }\n  - { id: s, title: S, top: space }\n  - { id: h, title: H, top: help }\n",
        );
        quiz(&src);
        quiz(include_str!("fixtures/assessment-top.yaml"));
    }

    #[test]
    fn a_dimension_without_a_top_outcome_leaves_a_gap_where_it_leads() {
        let src = three_sums(
            [3, 3, 3],
            "  - { id: t, title: T, top: talk }\n  - { id: s, title: S, top: space }\n",
        );
        // A tie with `help`, which no outcome tops, is not a win for `talk` or `space` either.
        let all = errors(&src);
        assert!(all.iter().all(|p| p.message.ends_with("matches no outcome")), "{all:#?}");
        assert_eq!(all[0].message, "the reachable score talk 3, space 3, help 3 matches no outcome");
        assert!(
            all.iter().any(|p| p.message == "the reachable score talk 3, space 3, help 4 matches no outcome")
        );
    }

    #[test]
    fn a_second_top_outcome_on_the_same_dimension_is_unreachable() {
        let src = three_sums(
            [3, 3, 3],
            "  - { id: t, title: T, top: talk }\n  - { id: s, title: S, top: space }\n  - { id: h, title: H, top: help }\n  - { id: t2, title: T2, top: talk }\n",
        );
        let all = errors(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].message, "outcome `t2` can never be the result");
        assert!(all[0].hint.contains("an earlier outcome already has `top: talk`"), "{}", all[0].hint);
    }

    #[test]
    fn a_when_outcome_overlapping_a_top_outcome_is_reported() {
        let src = three_sums(
            [3, 3, 3],
            "  - { id: strong-talk, title: X, when: { talk: { min: 14 } } }\n  - { id: t, title: T, top: talk }\n  - { id: s, title: S, top: space }\n  - { id: h, title: H, top: help }\n",
        );
        // One overlap with each `top` outcome: talk ≥ 14 whichever dimension leads.
        let all: Vec<String> = errors(&src).into_iter().map(|p| p.message).collect();
        assert_eq!(
            all,
            [
                "the score talk 14, space 3, help 3 matches both `strong-talk` and `t`",
                "the score talk 14, space 15, help 3 matches both `strong-talk` and `s`",
                "the score talk 14, space 3, help 15 matches both `strong-talk` and `h`",
            ]
        );
    }

    #[test]
    fn top_dimensions_with_different_maxima_are_a_warning() {
        let src = three_sums(
            [3, 4, 3],
            "  - { id: t, title: T, top: talk }\n  - { id: s, title: S, top: space }\n  - { id: h, title: H, top: help }\n",
        );
        let all = problems(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].severity, Severity::Warning);
        assert_eq!(
            all[0].message,
            "`top` compares dimensions with different highest scores: `talk` reaches 15, `space` reaches 20"
        );
        assert_eq!(all[0].line, line_of(&src, "top: space"));
    }

    /// A knowledge quiz of `n` one-point truefalse questions with these outcomes.
    fn knowledge(n: usize, outcomes: &str) -> String {
        "title: T\nmode: knowledge\nquestions:\n".to_string()
            + &"  - { type: truefalse, prompt: P, answer: true }\n".repeat(n)
            + "outcomes:\n"
            + outcomes
    }

    #[test]
    fn knowledge_outcomes_cover_the_percentage_score() {
        quiz(&knowledge(
            4,
            "  - { id: low, title: L, when: { score: { below: 50 } } }\n  - { id: ok, title: O, when: { score: { min: 50 } } }\n",
        ));
        let gap = knowledge(
            10,
            "  - { id: low, title: L, when: { score: { below: 50 } } }\n  - { id: ok, title: O, when: { score: { min: 60 } } }\n",
        );
        assert_eq!(
            find(&gap, "matches no outcome").message,
            "the reachable score score 50 matches no outcome"
        );
        let unreachable = knowledge(
            3,
            "  - { id: low, title: L, when: { score: { below: 40 } } }\n  - { id: mid, title: M, when: { score: { min: 40, below: 60 } } }\n  - { id: high, title: H, when: { score: { min: 60 } } }\n",
        );
        let all = errors(&unreachable);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].message, "outcome `mid` can never be the result");
    }

    #[test]
    fn knowledge_partial_credit_reaches_fractions() {
        // 2 points over 3 correct options: earns 0, 2/3, 4/3 or 2 of 2 → 0, 33.3…, 66.6…, 100.
        let src = "title: T\nmode: knowledge\nquestions:\n  - type: multiple\n    prompt: P\n    points: 2\n    partial: true\n    options: [{ text: a, correct: true }, { text: b, correct: true }, { text: c, correct: true }, { text: d }]\noutcomes:\n  - { id: low, title: L, when: { score: { below: 30 } } }\n  - { id: high, title: H, when: { score: { min: 70 } } }\n";
        // Both fall between the same cut points, so they are one gap, reported once.
        let gaps: Vec<String> = errors(src).into_iter().map(|p| p.message).collect();
        assert_eq!(gaps, ["the reachable score score ≈33.3333 matches no outcome"]);
    }

    #[test]
    fn too_many_scores_fall_back_to_a_sample_and_say_so() {
        // Ten agree7 items with distinct weights: 7^10 distinct sums, past the state limit.
        let mut src = String::from("title: T\nmode: assessment\ndimensions: [{ id: x }]\nquestions:\n");
        for i in 0..10 {
            src += &format!(
                "  - {{ type: scale, prompt: P, scale: agree7, dimension: x, weight: {} }}\n",
                1.0 + 0.013 * (1 << i) as f64
            );
        }
        // x runs from about 23 to 163; nothing is between 50 and 51.
        src += "outcomes:\n  - { id: low, title: L, when: { x: { below: 50 } } }\n  - { id: high, title: H, when: { x: { min: 51 } } }\n";
        let all = problems(&src);
        assert!(all.iter().all(|p| p.severity == Severity::Warning), "{all:#?}");
        assert!(all.iter().any(|p| p.message.starts_with("too many reachable scores on `x`")), "{all:#?}");
        assert!(all.iter().any(|p| p.message.contains("matches no outcome")), "{all:#?}");
    }

    /// Every answer a question can get, for brute force (None: skipped, when optional).
    fn every_answer(q: &Question) -> Vec<Option<Answer>> {
        let mut all: Vec<Option<Answer>> = match &q.kind {
            QuestionKind::Single { options } => {
                (0..options.len()).map(|i| Some(Answer::Number(i as f64))).collect()
            }
            QuestionKind::Multiple { options, .. } => (1..1u32 << options.len())
                .map(|mask| {
                    let picks =
                        (0..options.len()).filter(|i| mask & (1 << i) != 0).map(|i| i as f64).collect();
                    Some(Answer::Picks(picks))
                })
                .collect(),
            QuestionKind::TrueFalse { .. } => vec![Some(Answer::Flag(true)), Some(Answer::Flag(false))],
            QuestionKind::Scale { scale, .. } => {
                (scale.min()..=scale.max()).map(|v| Some(Answer::Number(v as f64))).collect()
            }
            QuestionKind::Text { accept } => {
                vec![Some(Answer::Text(accept[0].clone())), Some(Answer::Text("nope".into()))]
            }
            QuestionKind::Number { answer, tolerance } => {
                vec![Some(Answer::Number(*answer)), Some(Answer::Number(answer + tolerance + 1.0))]
            }
        };
        if !q.required {
            all.push(None);
        }
        all
    }

    /// The dimension scores (as bits) of every combination of answers, through the scorer.
    fn scored_by_brute_force(quiz: &Quiz) -> BTreeSet<Vec<u64>> {
        let choices: Vec<Vec<Option<Answer>>> = quiz.questions.iter().map(every_answer).collect();
        let mut pick = vec![0usize; choices.len()];
        let mut seen = BTreeSet::new();
        'all: loop {
            let answers = Answers(
                quiz.questions
                    .iter()
                    .zip(&pick)
                    .zip(&choices)
                    .filter_map(|((q, &i), c)| c[i].clone().map(|a| (q.id.clone(), a)))
                    .collect(),
            );
            let result = score(quiz, &answers).expect("every required question is answered");
            seen.insert(quiz.dimensions.iter().map(|d| key(result.dimensions[&d.id])).collect());
            for (i, c) in pick.iter_mut().zip(&choices) {
                *i += 1;
                if *i < c.len() {
                    continue 'all;
                }
                *i = 0;
            }
            break;
        }
        seen
    }

    /// The dimension scores (as bits) the analysis enumerates: the product of its groups.
    fn enumerated(quiz: &Quiz) -> BTreeSet<Vec<u64>> {
        let cuts = cut_points(quiz);
        let groups = match quiz.mode {
            Mode::Knowledge { .. } => vec![knowledge_scores(quiz, &cuts[0])],
            Mode::Assessment => assessment_scores(quiz, &cuts),
        };
        let mut all = vec![vec![0u64; quiz.dimensions.len()]];
        for g in &groups {
            assert!(g.exact);
            all = all
                .iter()
                .flat_map(|partial| {
                    g.points.iter().map(move |p| {
                        let mut full = partial.clone();
                        for (k, &d) in g.dims.iter().enumerate() {
                            full[d] = key(p[k]);
                        }
                        full
                    })
                })
                .collect();
        }
        all.into_iter().collect()
    }

    #[test]
    fn the_enumeration_finds_exactly_the_scores_the_scorer_gives() {
        let assessment = "\
title: T
mode: assessment
dimensions: [{ id: a, aggregate: mean }, { id: b }, { id: c, aggregate: mean }]
questions:
  - { type: scale, prompt: P, scale: agree5, dimension: a }
  - { type: scale, prompt: P, scale: agree5, dimension: a, reverse: true, weight: 0.7, required: false }
  - type: single
    prompt: P
    required: false
    options: [{ text: x, points: { a: 0.1, b: 2 } }, { text: y, points: { b: -1 } }, { text: z, points: { a: 0.2 } }]
  - type: multiple
    prompt: P
    options: [{ text: x, points: { b: 1.5 } }, { text: y, points: { b: 0.3, c: 1 } }, { text: z, points: { c: 2 } }]
  - { type: scale, prompt: P, scale: { min: -1, max: 1 }, dimension: c, required: false }
outcomes:
  - { id: all, title: A, when: {} }
";
        let knowledge = "\
title: T
mode: knowledge
questions:
  - type: single
    prompt: P
    points: 0.3
    options: [{ text: x }, { text: y, correct: true }]
  - type: multiple
    prompt: P
    points: 2
    partial: true
    options: [{ text: x, correct: true }, { text: y, correct: true }, { text: z, correct: true }, { text: w }]
  - { type: truefalse, prompt: P, answer: true, required: false, points: 0.1 }
  - { type: text, prompt: P, accept: [yes] }
  - { type: number, prompt: P, answer: 2, tolerance: 0.5, points: 3 }
";
        for src in [assessment, knowledge] {
            let (quiz, _) = crate::quiz::parse(std::path::Path::new("t.yaml"), src);
            let quiz = quiz.expect("valid quiz");
            let scored = scored_by_brute_force(&quiz);
            assert!(scored.len() > 20, "a meaningful test: {} distinct scores", scored.len());
            assert_eq!(enumerated(&quiz), scored);
        }
    }

    #[test]
    fn numbers_in_messages_are_short_and_honest() {
        assert_eq!(super::number(2.0), "2");
        assert_eq!(super::number(4.5), "4.5");
        assert_eq!(super::number(-0.0), "0");
        assert_eq!(super::number(8.0 / 3.0), "≈2.6667");
    }
}
