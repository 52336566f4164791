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
//! **Coverage.** At a score, the outcomes that hold are the `when` outcomes whose bounds hold on
//! every group, plus at most one `top` outcome, which depends on which dimensions share the highest
//! score. The proof never enumerates the product of the groups: a pass over the groups keeps only
//! the largest and the smallest sets of holding outcomes (the rest can lead to no finding these do
//! not), and with `top` outcomes the pass is repeated for each candidate highest score in one
//! ascending sweep (see [`check_coverage`]). It finds every overlap (no outcome → a gap, two → an
//! overlap, each with a concrete reachable score) and every unreachable outcome. For overlaps a
//! `top` outcome holds only where no earlier `top` outcome does (SPEC: ties go to the earliest
//! listed), so `top` outcomes never overlap each other.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::locate::at;
use super::model::*;
use super::report::Reporter;
use super::score::aggregate;

/// Above this many states (distinct combinations of running totals) in one group of correlated
/// dimensions, the group falls back to a sampled over-approximation.
const MAX_STATES: usize = 200_000;
/// How many partial combinations (per frontier) the coverage check keeps at most.
const MAX_PARTIALS: usize = 20_000;
/// Grid points per dimension in the fallback.
const FALLBACK_GRID: usize = 200;
/// How many gaps are reported one by one.
const MAX_GAPS_REPORTED: usize = 3;
/// How many overlapping pairs are reported one by one; the rest are summed up in one error.
const MAX_OVERLAPS_REPORTED: usize = 10;

/// The scores one group of correlated dimensions can reach.
#[derive(Debug, Clone)]
struct GroupScores {
    /// Indices into `quiz.dimensions`.
    dims: Vec<usize>,
    /// Each reachable combination: one value per entry of `dims`. Sorted, distinct.
    points: Vec<Vec<f64>>,
    /// False when the points are a sampled over-approximation.
    exact: bool,
    /// Knowledge with `draw`: set when only a sample of the draws was checked, so the points,
    /// all reachable, may not be all the reachable ones.
    draws: Option<DrawSample>,
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
    for sample in groups.iter().filter_map(|g| g.draws).filter(|_| !quiz.outcomes.is_empty()) {
        r.push(
            r.warning(
                r.value(at!["draw"]),
                format!(
                    "`draw: {}` of {} questions gives {} different sets of questions, too many to check each",
                    quiz.draw.unwrap_or(0),
                    quiz.questions.len(),
                    sample.total
                ),
            )
            .with_hint(format!(
                "the outcomes were checked on {} sets drawn at random: a gap or an overlap reported is real, but \
                 one may be missed; give the questions whole-number points (then every draw is checked), or \
                 draw from fewer questions",
                sample.checked
            )),
        );
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
        let coverage = check_coverage(quiz, &groups);
        report_coverage(r, quiz, &coverage, &ranges);
        warn_unfair_top(r, quiz, &ranges);
    }
    ranges
}

/// For each dimension, the distinct `min`/`below` values of the `when` bounds on it, ascending.
fn cut_points(quiz: &Quiz) -> Vec<Vec<f64>> {
    let mut cuts = vec![Vec::new(); quiz.dimensions.len()];
    for outcome in &quiz.outcomes {
        for b in outcome.rule.bounds() {
            if let Some(d) = quiz.dimension_index(&b.dimension) {
                cuts[d].extend(b.min.iter().chain(&b.below));
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
/// what each question can earn, and with `draw`, over every set of questions a reader can draw.
fn knowledge_scores(quiz: &Quiz, cuts: &[f64]) -> GroupScores {
    let all: Vec<usize> = (0..quiz.questions.len()).collect();
    let Some(draw) = quiz.draw.filter(|&d| d < all.len()) else {
        return match subset_scores(quiz, &all) {
            Some(points) => {
                GroupScores { dims: vec![0], points: sorted_distinct(points), exact: true, draws: None }
            }
            None => {
                GroupScores { dims: vec![0], points: sampled(0.0, 100.0, cuts), exact: false, draws: None }
            }
        };
    };
    let n = all.len();
    let total = choose(n, draw);
    let (subsets, sampled_draws): (Vec<Vec<usize>>, bool) = if total <= MAX_DRAWS as u128 {
        (Combinations::new(n, draw).collect(), false)
    } else if let Some(subsets) = draws_by_profile(quiz, draw) {
        (subsets, false)
    } else {
        // Too many to check one by one: a fixed sample, the same on every run.
        let mut rng = XorShift(0x5eed_d4a3 ^ n as u64);
        let sample = (0..MAX_DRAWS)
            .map(|_| {
                let mut pool = all.clone();
                for i in 0..draw {
                    pool.swap(i, i + rng.below((n - i) as u64) as usize);
                }
                let mut subset = pool[..draw].to_vec();
                subset.sort_unstable();
                subset
            })
            .collect();
        (sample, true)
    };
    let checked = subsets.len();
    let mut points = Vec::new();
    for subset in &subsets {
        match subset_scores(quiz, subset) {
            Some(p) if points.len() + p.len() <= MAX_STATES => points.extend(p),
            _ => {
                return GroupScores {
                    dims: vec![0],
                    points: sampled(0.0, 100.0, cuts),
                    exact: false,
                    draws: None,
                };
            }
        }
    }
    GroupScores {
        dims: vec![0],
        points: sorted_distinct(points),
        exact: true,
        draws: sampled_draws.then_some(DrawSample { total, checked }),
    }
}

/// Every `score` a reader given the questions `asked` (indices, ascending) can reach, adding in
/// question order as the scorer does; `None` past [`MAX_STATES`].
fn subset_scores(quiz: &Quiz, asked: &[usize]) -> Option<Vec<Vec<f64>>> {
    let possible: f64 = asked.iter().fold(0.0, |sum, &i| sum + quiz.questions[i].points.unwrap_or(1.0));
    let mut earned: HashSet<u64> = HashSet::from([key(0.0)]);
    for &i in asked {
        let q = &quiz.questions[i];
        // Every knowledge question can also earn 0: a wrong answer always exists (checked).
        let can_earn = q.kind.can_earn(q.points.unwrap_or(1.0));
        let mut next = HashSet::new();
        for e in &earned {
            for add in &can_earn {
                next.insert(key(f64::from_bits(*e) + add));
            }
        }
        earned = next;
        if earned.len() > MAX_STATES {
            return None;
        }
    }
    Some(earned.into_iter().map(|e| vec![100.0 * f64::from_bits(e) / possible]).collect())
}

/// How many draws are checked one by one at most.
const MAX_DRAWS: usize = 2_000;

/// A draw whose sets of questions were too many to check: how many there are, how many were.
#[derive(Debug, Clone, Copy)]
struct DrawSample {
    total: u128,
    checked: usize,
}

/// `n` choose `k`, saturating.
fn choose(n: usize, k: usize) -> u128 {
    (0..k).fold(1u128, |c, i| c.saturating_mul((n - i) as u128) / (i as u128 + 1))
}

/// The `k`-element subsets of `0..n`, ascending, in lexicographic order.
struct Combinations {
    n: usize,
    next: Option<Vec<usize>>,
}

impl Combinations {
    fn new(n: usize, k: usize) -> Self {
        Combinations { n, next: (k <= n).then(|| (0..k).collect()) }
    }
}

impl Iterator for Combinations {
    type Item = Vec<usize>;
    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let k = current.len();
        let mut c = current.clone();
        // The last position that can still move right.
        if let Some(i) = (0..k).rev().find(|&i| c[i] < self.n - k + i) {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            self.next = Some(c);
        }
        Some(current)
    }
}

/// Whether what every question is worth and can earn is a whole number (and small), so that
/// sums are exact in any order and questions alike in both are interchangeable in a draw.
fn profiles_are_exact(quiz: &Quiz) -> bool {
    let whole = |x: f64| x.fract() == 0.0 && x.abs() < 1e9;
    quiz.questions.iter().all(|q| {
        let points = q.points.unwrap_or(1.0);
        whole(points) && q.kind.can_earn(points).into_iter().all(whole)
    })
}

/// With whole-number points, which questions a reader draws matters only through how many of
/// each kind (what it is worth, what it can earn): one representative draw per count of each
/// kind covers every draw exactly. `None` when points are not whole or the counts are too many.
fn draws_by_profile(quiz: &Quiz, draw: usize) -> Option<Vec<Vec<usize>>> {
    if !profiles_are_exact(quiz) {
        return None;
    }
    // Questions grouped by kind, as lists of their indices.
    let mut kinds: BTreeMap<Vec<u64>, Vec<usize>> = BTreeMap::new();
    for (i, q) in quiz.questions.iter().enumerate() {
        let points = q.points.unwrap_or(1.0);
        let mut profile: Vec<u64> = q.kind.can_earn(points).into_iter().map(key).collect();
        profile.sort_unstable();
        profile.dedup();
        profile.insert(0, key(points));
        kinds.entry(profile).or_default().push(i);
    }
    let kinds: Vec<Vec<usize>> = kinds.into_values().collect();
    let mut out = Vec::new();
    // Depth-first over how many of each kind, summing to `draw`.
    fn walk(kinds: &[Vec<usize>], left: usize, taken: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) -> bool {
        let Some((first, rest)) = kinds.split_first() else {
            if left == 0 {
                let mut subset = taken.clone();
                subset.sort_unstable();
                out.push(subset);
            }
            return out.len() <= MAX_DRAWS;
        };
        let room: usize = rest.iter().map(Vec::len).sum();
        for m in left.saturating_sub(room)..=left.min(first.len()) {
            taken.extend(&first[..m]);
            let ok = walk(rest, left - m, taken, out);
            taken.truncate(taken.len() - m);
            if !ok {
                return false;
            }
        }
        true
    }
    walk(&kinds, draw, &mut Vec::new(), &mut out).then_some(out)
}

/// xorshift64: a fixed, dependency-free sample of draws.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Assessment: the dimensions split into groups linked by shared questions, each enumerated.
fn assessment_scores(quiz: &Quiz, cuts: &[Vec<f64>]) -> Vec<GroupScores> {
    let n = quiz.dimensions.len();
    let touches: Vec<Vec<usize>> = quiz
        .questions
        .iter()
        .map(|q| (0..n).filter(|&d| q.contributes_to(&quiz.dimensions[d].id)).collect())
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
            Some(points) => groups.push(GroupScores { dims, points, exact: true, draws: None }),
            None => {
                for d in dims {
                    let (lo, hi) = dimension_bounds(quiz, d);
                    groups.push(GroupScores {
                        dims: vec![d],
                        points: sampled(lo, hi, &cuts[d]),
                        exact: false,
                        draws: None,
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

/// The moves of `question` on a group of dimensions (`dims`): each answer's additions, as slots
/// of the group's state, and not answering when it is optional; `None` when there are too many
/// answers to enumerate.
fn moves(quiz: &Quiz, question: &Question, dims: &[usize]) -> Option<Vec<Move>> {
    let slot = |d: usize| 2 * dims.iter().position(|&x| x == d).expect("touched dimensions are in the group");
    let is_mean = |d: usize| quiz.dimensions[d].aggregate == Aggregate::Mean;
    let mut moves: Vec<Move> = question
        .kind
        .every_addition(&quiz.dimension_ids())?
        .into_iter()
        .map(|a| {
            let mut m: Move = a.totals.iter().map(|&(d, amount)| (slot(d), amount)).collect();
            m.extend(a.weights.iter().filter(|(d, _)| is_mean(*d)).map(|&(d, weight)| (slot(d) + 1, weight)));
            m
        })
        .collect();
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
        let moves = moves(quiz, q, dims)?;
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
    for q in &quiz.questions {
        let Some((lo, hi, weight)) = q.kind.range(&dimension.id) else { continue };
        let (lo_with_skip, hi_with_skip) = if q.required { (lo, hi) } else { (lo.min(0.0), hi.max(0.0)) };
        sum_lo += lo_with_skip;
        sum_hi += hi_with_skip;
        ratio_lo = ratio_lo.min(lo / weight);
        ratio_hi = ratio_hi.max(hi / weight);
        may_be_empty &= !q.required;
    }
    match dimension.aggregate {
        Aggregate::Sum => (sum_lo, sum_hi),
        Aggregate::Mean if ratio_lo > ratio_hi => (0.0, 0.0),
        Aggregate::Mean if may_be_empty => (ratio_lo.min(0.0), ratio_hi.max(0.0)),
        Aggregate::Mean => (ratio_lo, ratio_hi),
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
    /// Reachable scores matching no outcome (at most [`MAX_GAPS_REPORTED`]), in the order found.
    gaps: Vec<Vec<f64>>,
    /// How many gaps were found: one per candidate highest score with `top` outcomes, else one.
    gap_count: usize,
    /// For each pair of outcomes (by index) that both match some reachable score: one such score.
    overlaps: BTreeMap<(usize, usize), Vec<f64>>,
    /// Whether each outcome matches some reachable score.
    reached: Vec<bool>,
    /// The scores behind a finding came from a fallback sample.
    approximate: bool,
    /// The check gave up past [`MAX_PARTIALS`] partial combinations.
    truncated: bool,
    /// Only a sample of the draws was checked: the scores found are reachable, but there may be
    /// others.
    incomplete: bool,
}

/// A set of outcomes, by index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct OutcomeSet(Vec<u64>);

impl OutcomeSet {
    fn empty(outcomes: usize) -> Self {
        OutcomeSet(vec![0; outcomes.div_ceil(64)])
    }

    fn insert(&mut self, k: usize) {
        self.0[k / 64] |= 1 << (k % 64);
    }

    fn and(&self, other: &OutcomeSet) -> OutcomeSet {
        OutcomeSet(self.0.iter().zip(&other.0).map(|(a, b)| a & b).collect())
    }

    fn is_subset(&self, other: &OutcomeSet) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & !b == 0)
    }

    fn contains(&self, k: usize) -> bool {
        self.0[k / 64] & (1 << (k % 64)) != 0
    }

    fn or(&self, other: &OutcomeSet) -> OutcomeSet {
        OutcomeSet(self.0.iter().zip(&other.0).map(|(a, b)| a | b).collect())
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// Whether `self` and `other` hold the same members of `mask`.
    fn same_within(&self, other: &OutcomeSet, mask: &OutcomeSet) -> bool {
        self.0.iter().zip(&other.0).zip(&mask.0).all(|((a, b), m)| (a ^ b) & m == 0)
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .flat_map(|(w, &bits)| (0..64).filter(move |b| bits & (1 << b) != 0).map(move |b| w * 64 + b))
    }
}

/// Which `top` outcomes may hold, as far as the dimensions seen so far tell, for a candidate
/// highest score `M` that no dimension exceeds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Lead {
    /// No dimension so far scores `M`.
    Below,
    /// A dimension that no `top` outcome names scores `M`: no `top` outcome holds (SPEC: a tie
    /// with it is not a win).
    Blocked,
    /// The `top` outcomes whose dimension scores `M` and whose `when` still holds: the first of
    /// them is the result's `top` outcome. Kept only up to the first whose `when` is empty
    /// (nothing after it can win), so without `top` + `when` this is the earliest one alone.
    Tops(OutcomeSet),
}

impl Lead {
    fn and(&self, other: &Lead) -> Lead {
        match (self, other) {
            (Lead::Below, lead) | (lead, Lead::Below) => lead.clone(),
            (Lead::Blocked, _) | (_, Lead::Blocked) => Lead::Blocked,
            (Lead::Tops(a), Lead::Tops(b)) => Lead::Tops(a.or(b)),
        }
    }

    /// The same lead with what can no longer matter dropped: `top` outcomes whose `when` fails
    /// (not in `holding`), and those after the first that always holds (in `unconditional`).
    fn canonical(self, holding: &OutcomeSet, unconditional: &OutcomeSet) -> Lead {
        let Lead::Tops(tops) = self else { return self };
        let mut kept = OutcomeSet::empty(tops.0.len() * 64);
        kept.0.truncate(tops.0.len());
        for k in tops.and(holding).iter() {
            kept.insert(k);
            if unconditional.contains(k) {
                break;
            }
        }
        Lead::Tops(kept)
    }

    /// The `top` outcome that holds, if any.
    fn winner(&self) -> Option<usize> {
        match self {
            Lead::Tops(tops) => tops.iter().next(),
            Lead::Below | Lead::Blocked => None,
        }
    }
}

/// A choice of one point in each of the first groups: the `when` outcomes whose bounds on those
/// groups' dimensions all hold, the [`Lead`], and the points (kept for messages).
#[derive(Debug, Clone)]
struct Partial {
    holding: OutcomeSet,
    lead: Lead,
    points: Vec<u32>,
}

/// Which partials a [`Frontier`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Holding sets that no other partial with the same lead contains: they find every overlap
    /// and every reached outcome.
    Largest,
    /// Holding sets that contain no other partial's with the same lead: they find every gap.
    Smallest,
}

/// Partial combinations with dominated ones dropped. Intersecting two holding sets with the
/// same set keeps them in order, so a dropped partial could only have led to findings its
/// dominator also leads to: the product of the groups is never enumerated. Only the `when`
/// outcomes are compared so: the `top` outcomes whose `when` holds decide which one wins, so
/// partials are compared only with those that agree on them (and on the lead).
#[derive(Debug)]
struct Frontier<'s> {
    keep: Keep,
    partials: Vec<Partial>,
    sets: &'s Sets,
}

/// The kinds of outcome, as sets, for the coverage check.
#[derive(Debug)]
struct Sets {
    /// The outcomes with `top`.
    tops: OutcomeSet,
    /// The `top` outcomes without `when`.
    unconditional: OutcomeSet,
}

impl<'s> Frontier<'s> {
    fn new(keep: Keep, sets: &'s Sets) -> Self {
        Frontier { keep, partials: Vec::new(), sets }
    }

    /// Adds `p` unless a kept partial dominates it; the first of equal partials stays, so the
    /// scores reported are the lowest found.
    fn insert(&mut self, p: Partial) {
        let keep = self.keep;
        let dominates = |a: &OutcomeSet, b: &OutcomeSet| match keep {
            Keep::Largest => b.is_subset(a),
            Keep::Smallest => a.is_subset(b),
        };
        let tops = &self.sets.tops;
        let alike = |q: &Partial| q.lead == p.lead && q.holding.same_within(&p.holding, tops);
        if self.partials.iter().any(|q| alike(q) && dominates(&q.holding, &p.holding)) {
            return;
        }
        self.partials.retain(|q| !(alike(q) && dominates(&p.holding, &q.holding)));
        self.partials.push(p);
    }

    /// Every kept partial extended by every option of the next group; `None` past
    /// [`MAX_PARTIALS`].
    fn extend(&self, options: &[Partial]) -> Option<Frontier<'s>> {
        let mut next = Frontier::new(self.keep, self.sets);
        for p in &self.partials {
            for o in options {
                let mut points = Vec::with_capacity(p.points.len() + 1);
                points.extend(&p.points);
                points.extend(&o.points);
                let holding = p.holding.and(&o.holding);
                let lead = p.lead.and(&o.lead).canonical(&holding, &self.sets.unconditional);
                next.insert(Partial { holding, lead, points });
                if next.partials.len() > MAX_PARTIALS {
                    return None;
                }
            }
        }
        Some(next)
    }
}

/// One group's points as the coverage check sees them.
struct GroupView<'g> {
    group: &'g GroupScores,
    /// Per point: the `when` outcomes whose bounds on this group's dimensions hold.
    holding: Vec<OutcomeSet>,
    /// Per point: its highest value.
    highest: Vec<f64>,
    /// Per point: the lead if its highest value is the candidate.
    lead: Vec<Lead>,
    /// Point indices, by highest value (then by point order).
    by_highest: Vec<u32>,
}

impl<'g> GroupView<'g> {
    fn new(quiz: &Quiz, group: &'g GroupScores, tops_on: &[OutcomeSet], sets: &Sets) -> Self {
        let n = quiz.outcomes.len();
        let mut holding = Vec::with_capacity(group.points.len());
        let mut highest = Vec::with_capacity(group.points.len());
        let mut lead = Vec::with_capacity(group.points.len());
        for p in &group.points {
            let mut set = OutcomeSet::empty(n);
            for (k, outcome) in quiz.outcomes.iter().enumerate() {
                if outcome.rule != OutcomeRule::Otherwise {
                    let holds = outcome.rule.bounds().iter().all(|b| {
                        let d = quiz.dimension_index(&b.dimension);
                        match group.dims.iter().position(|&x| Some(x) == d) {
                            Some(k) => b.holds(p[k]),
                            // A bound on another group's dimension is that group's to judge.
                            None => true,
                        }
                    });
                    if holds {
                        set.insert(k);
                    }
                }
            }
            holding.push(set);
            let high = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            highest.push(high);
            let here =
                group.dims.iter().zip(p).filter(|(_, v)| **v == high).fold(Lead::Below, |lead, (&d, _)| {
                    let on_d =
                        if tops_on[d].is_empty() { Lead::Blocked } else { Lead::Tops(tops_on[d].clone()) };
                    lead.and(&on_d)
                });
            lead.push(here.canonical(holding.last().expect("pushed above"), &sets.unconditional));
        }
        let mut by_highest: Vec<u32> = (0..group.points.len() as u32).collect();
        by_highest.sort_by(|&a, &b| highest[a as usize].total_cmp(&highest[b as usize]));
        GroupView { group, holding, highest, lead, by_highest }
    }

    fn option(&self, p: u32, lead: Lead) -> Partial {
        Partial { holding: self.holding[p as usize].clone(), lead, points: vec![p] }
    }
}

/// Proves coverage over the product of the groups without enumerating it.
///
/// Without `top` outcomes, which `when` outcomes hold at a score is the intersection of what
/// holds on each group, so a pass over the groups keeping only the largest and the smallest
/// intersections (a [`Frontier`]) finds every overlap, every reached outcome and a gap if there
/// is one. With `top` outcomes, the same pass runs once per candidate highest score `M`, in
/// ascending order (a sweep): each group offers its points whose highest value is `M` (with the
/// lead they give) and, as [`Lead::Below`], the frontiers of its points below `M`, which grow as
/// the sweep goes. Each group's points are visited once in the sweep, so the work is near-linear
/// in the reachable scores.
fn check_coverage(quiz: &Quiz, groups: &[GroupScores]) -> Coverage {
    let mut coverage = check_ruled_coverage(quiz, groups);
    // `otherwise` (last, SPEC §3.3) takes exactly the gaps the others leave.
    if let Some(last) = quiz.outcomes.len().checked_sub(1)
        && quiz.outcomes[last].rule == OutcomeRule::Otherwise
    {
        coverage.reached[last] = coverage.gap_count > 0;
        coverage.gaps.clear();
        coverage.gap_count = 0;
    }
    coverage
}

/// [`check_coverage`] of the outcomes other than `otherwise`.
fn check_ruled_coverage(quiz: &Quiz, groups: &[GroupScores]) -> Coverage {
    let mut coverage = Coverage {
        reached: vec![false; quiz.outcomes.len()],
        approximate: groups.iter().any(|g| !g.exact),
        incomplete: groups.iter().any(|g| g.draws.is_some()),
        ..Coverage::default()
    };
    let n = quiz.outcomes.len();
    let mut tops_on = vec![OutcomeSet::empty(n); quiz.dimensions.len()];
    let mut sets = Sets { tops: OutcomeSet::empty(n), unconditional: OutcomeSet::empty(n) };
    // Every outcome but `otherwise`, which takes what the others leave (see `report_coverage`).
    let mut all_ruled = OutcomeSet::empty(n);
    for (k, outcome) in quiz.outcomes.iter().enumerate() {
        match &outcome.rule {
            OutcomeRule::When(_) => all_ruled.insert(k),
            OutcomeRule::Top { dimension, when } => {
                all_ruled.insert(k);
                sets.tops.insert(k);
                if when.is_empty() {
                    sets.unconditional.insert(k);
                }
                if let Some(d) = quiz.dimension_index(dimension) {
                    tops_on[d].insert(k);
                }
            }
            OutcomeRule::Otherwise => {}
        }
    }
    let has_top = !sets.tops.is_empty();
    let sets = &sets;
    let views: Vec<GroupView> = groups.iter().map(|g| GroupView::new(quiz, g, &tops_on, sets)).collect();
    let start = |keep| Frontier {
        keep,
        partials: vec![Partial { holding: all_ruled.clone(), lead: Lead::Below, points: Vec::new() }],
        sets,
    };

    if !has_top {
        for keep in [Keep::Largest, Keep::Smallest] {
            let options: Vec<Vec<Partial>> = views
                .iter()
                .map(|v| {
                    let mut f = Frontier::new(keep, sets);
                    for p in 0..v.group.points.len() as u32 {
                        f.insert(v.option(p, Lead::Below));
                    }
                    f.partials
                })
                .collect();
            match run(start(keep), &options) {
                Some(done) => record(quiz, &views, &mut coverage, &done),
                None => coverage.truncated = true,
            }
        }
        return coverage;
    }

    // The sweep: per group, how far its points (by highest value) have been passed, and the
    // frontiers of the points passed, offered as `Below`.
    let mut next = vec![0usize; views.len()];
    let mut below: Vec<[Frontier; 2]> = views
        .iter()
        .map(|_| [Frontier::new(Keep::Largest, sets), Frontier::new(Keep::Smallest, sets)])
        .collect();
    let mut candidates: Vec<f64> = views.iter().flat_map(|v| v.highest.iter().copied()).collect();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup_by(|a, b| key(*a) == key(*b));
    for m in candidates {
        let at_m: Vec<Vec<u32>> = views
            .iter()
            .zip(&mut next)
            .map(|(v, i)| {
                let from = *i;
                while *i < v.by_highest.len() && key(v.highest[v.by_highest[*i] as usize]) == key(m) {
                    *i += 1;
                }
                v.by_highest[from..*i].to_vec()
            })
            .collect();
        for (which, keep) in [Keep::Largest, Keep::Smallest].into_iter().enumerate() {
            let options: Vec<Vec<Partial>> = views
                .iter()
                .zip(&at_m)
                .zip(&below)
                .map(|((v, at), below)| {
                    // Lower points first, so the scores reported are the lowest found.
                    let mut f = Frontier::new(keep, sets);
                    for &p in at {
                        f.insert(v.option(p, v.lead[p as usize].clone()));
                    }
                    let mut options = below[which].partials.clone();
                    options.append(&mut f.partials);
                    options
                })
                .collect();
            match run(start(keep), &options) {
                Some(done) => record(quiz, &views, &mut coverage, &done),
                None => {
                    coverage.truncated = true;
                    return coverage;
                }
            }
        }
        for ((v, at), below) in views.iter().zip(&at_m).zip(&mut below) {
            for &p in at {
                for f in below.iter_mut() {
                    f.insert(v.option(p, Lead::Below));
                }
            }
        }
    }
    coverage
}

/// The frontier after every group's options; `None` when it grew too large.
fn run<'s>(mut frontier: Frontier<'s>, options: &[Vec<Partial>]) -> Option<Frontier<'s>> {
    for group_options in options {
        frontier = frontier.extend(group_options)?;
        if frontier.partials.is_empty() {
            break;
        }
    }
    Some(frontier)
}

/// Records what the complete combinations of a finished frontier show: overlaps and reached
/// outcomes from the largest holding sets, gaps from the smallest.
fn record(quiz: &Quiz, views: &[GroupView], coverage: &mut Coverage, done: &Frontier) {
    let has_top = !done.sets.tops.is_empty();
    let values = |p: &Partial| {
        let mut values = vec![0.0; quiz.dimensions.len()];
        for (v, &point) in views.iter().zip(&p.points) {
            for (k, &d) in v.group.dims.iter().enumerate() {
                values[d] = v.group.points[point as usize][k];
            }
        }
        values
    };
    for p in &done.partials {
        // With `top` outcomes a combination counts only at its own highest score.
        if has_top && p.lead == Lead::Below {
            continue;
        }
        // The `when` outcomes that hold, and the first `top` outcome that does.
        let mut holding: Vec<usize> = p.holding.iter().filter(|&k| !done.sets.tops.contains(k)).collect();
        if let Some(k) = p.lead.winner() {
            holding.push(k);
            holding.sort_unstable();
        }
        match done.keep {
            Keep::Largest => {
                for (i, &a) in holding.iter().enumerate() {
                    coverage.reached[a] = true;
                    for &b in &holding[i + 1..] {
                        coverage.overlaps.entry((a, b)).or_insert_with(|| values(p));
                    }
                }
            }
            Keep::Smallest if holding.is_empty() => {
                coverage.gap_count += 1;
                if coverage.gaps.len() < MAX_GAPS_REPORTED {
                    coverage.gaps.push(values(p));
                }
            }
            Keep::Smallest => {}
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
        OutcomeRule::Top { .. } => "top",
        OutcomeRule::Otherwise => "otherwise",
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
            format!("add an outcome for it or widen a `when` bound and {more} more; {range_hint}")
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
    for (&(a, b), score) in coverage.overlaps.iter().take(MAX_OVERLAPS_REPORTED) {
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
    let more: Vec<String> = coverage
        .overlaps
        .keys()
        .skip(MAX_OVERLAPS_REPORTED)
        .map(|&(a, b)| format!("`{}` and `{}`", quiz.outcomes[a].id, quiz.outcomes[b].id))
        .collect();
    if let Some(example) = more.first() {
        // Past a few, one line per pair floods the terminal and says nothing new.
        r.push(
            finding(r, r.key(at!["outcomes"]), format!("{} more pairs of outcomes overlap", more.len()))
                .with_hint(format!("for example {example}; fix the overlaps above and check again")),
        );
    }
    // An unreachable verdict needs every reachable score checked, exactly.
    if coverage.truncated || coverage.approximate || coverage.incomplete {
        if coverage.truncated {
            r.push(r.warning(r.key(at!["outcomes"]), "too many distinct scores to check every one").with_hint(format!(
                "past {MAX_PARTIALS} combinations of scores that no other one covers, the check stopped; the outcomes may still have a gap or an overlap"
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
            OutcomeRule::Top { dimension: d, when } => {
                let earlier = quiz.outcomes[..k].iter().any(|o| {
                    matches!(&o.rule, OutcomeRule::Top { dimension, when } if dimension == d && when.is_empty())
                });
                if earlier {
                    format!("an earlier outcome already has `top: {d}`, and ties go to the earliest listed")
                } else if when.is_empty() {
                    format!("`{d}` never scores highest without tying an earlier `top` outcome's dimension")
                } else {
                    format!(
                        "wherever `{d}` scores highest (without tying an earlier `top` outcome's dimension), \
                         its `when` fails or an earlier outcome takes the score: {range_hint}"
                    )
                }
            }
            OutcomeRule::Otherwise => {
                "the outcomes before it already take every reachable score; remove it, or narrow theirs"
                    .to_string()
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
        .filter_map(|(k, o)| o.rule.top().and_then(|d| quiz.dimension_index(d)).map(|d| (k, d)))
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

    /// SPEC §3.3's example: each `top` outcome only when its dimension is also high enough, and
    /// `otherwise` for everyone else (the habit quiz's "nothing needs urgent care").
    const TOPS_WHEN_HIGH: &str = "  - { id: t, title: T, top: talk, when: { talk: { min: 10 } } }\n  - { id: s, title: S, top: space, when: { space: { min: 10 } } }\n  - { id: h, title: H, top: help, when: { help: { min: 10 } } }\n";

    #[test]
    fn top_with_when_and_otherwise_cover_everything_soundly() {
        let src = three_sums(
            [3, 3, 3],
            &format!("{TOPS_WHEN_HIGH}  - {{ id: fine, title: F, otherwise: true }}\n"),
        );
        let quiz = quiz(&src);
        let answers = |talk: i64, space: i64, help: i64| {
            Answers(
                (0..9)
                    .map(|i| (format!("q{}", i + 1), Answer::Number([talk, space, help][i / 3] as f64)))
                    .collect(),
            )
        };
        let outcome = |a: Answers| score(&quiz, &a).unwrap().outcome.unwrap();
        assert_eq!(outcome(answers(4, 3, 3)), "t");
        assert_eq!(outcome(answers(3, 3, 3)), "fine", "nothing high: no `top` outcome holds");
        assert_eq!(outcome(answers(5, 5, 1)), "t", "a tie goes to the earliest listed");
        assert_eq!(outcome(answers(3, 4, 4)), "s");
    }

    #[test]
    fn top_with_when_leaves_a_gap_without_otherwise() {
        let src = three_sums([3, 3, 3], TOPS_WHEN_HIGH);
        let all = errors(&src);
        assert!(!all.is_empty() && all.iter().all(|p| p.message.ends_with("matches no outcome")), "{all:#?}");
        assert_eq!(all[0].message, "the reachable score talk 3, space 3, help 3 matches no outcome");
    }

    #[test]
    fn a_tie_goes_to_the_next_top_outcome_when_the_first_ones_when_fails() {
        // `t` needs space ≥ 8 too; where talk and space tie below that, `s` takes the score.
        let src = three_sums(
            [3, 3, 3],
            "  - { id: t, title: T, top: talk, when: { space: { min: 8 } } }\n  - { id: s, title: S, top: space }\n  - { id: h, title: H, top: help }\n  - { id: t2, title: T2, top: talk }\n",
        );
        let quiz = quiz(&src);
        let tie = Answers(
            (0..9).map(|i| (format!("q{}", i + 1), Answer::Number([2.0, 2.0, 1.0][i / 3]))).collect(),
        );
        assert_eq!(score(&quiz, &tie).unwrap().outcome.as_deref(), Some("s"));
    }

    #[test]
    fn otherwise_that_nothing_reaches_is_reported_and_overlaps_still_are() {
        let src = three_sums(
            [3, 3, 3],
            "  - { id: t, title: T, top: talk }\n  - { id: s, title: S, top: space }\n  - { id: h, title: H, top: help }\n  - { id: rest, title: R, otherwise: true }\n",
        );
        let p = find(&src, "outcome `rest` can never be the result");
        assert_eq!((p.severity, p.line), (Severity::Error, line_of(&src, "otherwise")));
        assert!(p.hint.contains("already take every reachable score"), "{}", p.hint);
        let src = three_sums(
            [3, 3, 3],
            "  - { id: a, title: A, when: { talk: { min: 10 } } }\n  - { id: b, title: B, when: { talk: { min: 12 } } }\n  - { id: rest, title: R, otherwise: true }\n",
        );
        let all = errors(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].message, "the score talk 12, space 3, help 3 matches both `a` and `b`");
    }

    #[test]
    fn a_top_with_when_that_never_holds_where_its_dimension_leads_is_unreachable() {
        let src = three_sums(
            [3, 3, 3],
            "  - { id: odd, title: O, top: talk, when: { talk: { below: 4 } } }\n  - { id: t, title: T, top: talk }\n  - { id: s, title: S, top: space }\n  - { id: h, title: H, top: help }\n",
        );
        // talk < 4 means talk is 3, the lowest: it leads only in the all-3 tie, and there it does.
        quiz(&src);
        let src = src.replace("below: 4", "below: 3");
        let p = find(&src, "outcome `odd` can never be the result");
        assert!(p.hint.contains("its `when` fails"), "{}", p.hint);
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
        let all: Vec<Problem> =
            problems(&src).into_iter().filter(|p| p.message.starts_with("`top`")).collect();
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

    /// A knowledge quiz drawing `draw` of truefalse questions worth `points`, with these outcomes.
    fn drawing(draw: usize, points: &[&str], outcomes: &str) -> String {
        let mut src = format!("title: T\nmode: knowledge\ndraw: {draw}\nquestions:\n");
        for (i, p) in points.iter().enumerate() {
            let answer = i % 2 == 0;
            src += &format!("  - {{ type: truefalse, prompt: P, answer: {answer}, points: {p} }}\n");
        }
        src + "outcomes:\n" + outcomes
    }

    #[test]
    fn the_scores_of_a_draw_are_those_of_every_set_a_reader_can_draw() {
        let src = drawing(2, &["2", "2", "2", "1"], "  - { id: all, title: A, when: {} }\n");
        let quiz = quiz(&src);
        let found: Vec<f64> = knowledge_scores(&quiz, &[]).points.into_iter().map(|p| p[0]).collect();
        // By brute force: every pair of questions, every right/wrong combination, scored.
        let mut scored = BTreeSet::new();
        for pair in Combinations::new(4, 2) {
            let drawn: Vec<String> = pair.iter().map(|&i| quiz.questions[i].id.clone()).collect();
            for right in 0..4 {
                let answers = Answers(
                    drawn
                        .iter()
                        .enumerate()
                        .map(|(k, id)| (id.clone(), Answer::Flag(right & (1 << k) != 0)))
                        .collect(),
                );
                scored.insert(key(crate::quiz::score_drawn(&quiz, &answers, &drawn).unwrap().score.unwrap()));
            }
        }
        assert_eq!(found.iter().map(|v| key(*v)).collect::<BTreeSet<_>>(), scored);
        // {2, 2}: 0, 50, 100; {2, 1}: 0, ⅓, ⅔, 100. Without the draw, sevenths instead.
        assert_eq!(found.len(), 5, "{found:?}");
        assert_eq!(Combinations::new(5, 3).count(), 10);
        assert_eq!(choose(30, 10), 30_045_015);
    }

    #[test]
    fn a_gap_only_some_draws_reach_is_an_error() {
        let outcomes = "  - { id: low, title: L, when: { score: { below: 45 } } }\n  - { id: high, title: H, when: { score: { min: 55 } } }\n";
        let src = drawing(2, &["2", "2", "2", "1"], outcomes);
        let all = errors(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].message, "the reachable score score 50 matches no outcome");
        // Drawing all four, nobody scores 50 (sevenths): sound.
        quiz(&src.replace("draw: 2", "draw: 4"));
        // And an outcome for exactly half is reachable only through the draw.
        let half = "  - { id: half, title: H, when: { score: { min: 45, below: 55 } } }\n";
        quiz(&drawing(2, &["2", "2", "2", "1"], &format!("{outcomes}{half}")));
        let p = find(&drawing(4, &["2", "2", "2", "1"], &format!("{outcomes}{half}")), "`half` can never be");
        assert_eq!(p.severity, Severity::Error);
    }

    #[test]
    fn many_draws_of_whole_points_are_checked_exactly_and_others_are_sampled_with_a_warning() {
        let outcomes = "  - { id: low, title: L, when: { score: { below: 50 } } }\n  - { id: pass, title: P, otherwise: true }\n";
        // 30 choose 10 sets, but only three kinds of question: every draw is checked.
        let points: Vec<&str> = (0..30).map(|i| ["1", "2", "3"][i % 3]).collect();
        quiz(&drawing(10, &points, outcomes));
        // Points of 1.5 and 1: sums depend on the order they are added in, so the draws are sampled.
        let points: Vec<&str> = (0..30).map(|i| ["1.5", "1"][i % 2]).collect();
        let src = drawing(10, &points, outcomes);
        let all = problems(&src);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(
            (all[0].severity, all[0].line, all[0].message.as_str()),
            (
                Severity::Warning,
                3,
                "`draw: 10` of 30 questions gives 30045015 different sets of questions, too many to check each"
            )
        );
        assert!(all[0].hint.contains("checked on 2000 sets"), "{}", all[0].hint);
        // A gap found in the sample is real: still an error.
        let gap = "  - { id: low, title: L, when: { score: { below: 40 } } }\n  - { id: high, title: H, when: { score: { min: 60 } } }\n";
        assert!(errors(&drawing(10, &points, gap)).iter().any(|p| p.message.ends_with("matches no outcome")));
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
            QuestionKind::Single(k) => (0..k.options.len()).map(|i| Some(Answer::Number(i as f64))).collect(),
            QuestionKind::Multiple(k) => (1..1u32 << k.options.len())
                .map(|mask| {
                    let picks =
                        (0..k.options.len()).filter(|i| mask & (1 << i) != 0).map(|i| i as f64).collect();
                    Some(Answer::Picks(picks))
                })
                .collect(),
            QuestionKind::TrueFalse(_) => vec![Some(Answer::Flag(true)), Some(Answer::Flag(false))],
            QuestionKind::Scale(k) => {
                (k.scale.min()..=k.scale.max()).map(|v| Some(Answer::Number(v as f64))).collect()
            }
            QuestionKind::Text(k) => {
                vec![Some(Answer::Text(k.accept[0].clone())), Some(Answer::Text("nope".into()))]
            }
            QuestionKind::Number(k) => {
                vec![Some(Answer::Number(k.answer)), Some(Answer::Number(k.answer + k.tolerance + 1.0))]
            }
            // Every permutation of positions (small in tests).
            QuestionKind::Order(k) => permutations(k.items.len())
                .into_iter()
                .map(|p| Some(Answer::Picks(p.iter().map(|x| (x + 1) as f64).collect())))
                .collect(),
            // Every assignment of answers to the left items.
            QuestionKind::Match(k) => {
                let (n, m) = (k.pairs.len(), k.pairs.len() + k.distractors.len());
                (0..m.pow(n as u32))
                    .map(|mut code| {
                        let picks = (0..n)
                            .map(|_| {
                                let pick = code % m;
                                code /= m;
                                pick as f64
                            })
                            .collect();
                        Some(Answer::Picks(picks))
                    })
                    .collect()
            }
            // Each blank right or wrong.
            QuestionKind::Cloze(k) => (0..1u32 << k.blanks.len())
                .map(|mask| {
                    let fills = k
                        .blanks
                        .iter()
                        .enumerate()
                        .map(|(b, blank)| {
                            let right = mask & (1 << b) != 0;
                            match blank {
                                crate::quiz::kinds::Blank::Typed { accept } => {
                                    crate::quiz::answer::Fill::Text(if right {
                                        accept[0].clone()
                                    } else {
                                        "nope".into()
                                    })
                                }
                                crate::quiz::kinds::Blank::Choice { correct, options } => {
                                    crate::quiz::answer::Fill::Index(if right {
                                        *correct
                                    } else {
                                        (*correct + 1) % options.len()
                                    }
                                        as f64)
                                }
                            }
                        })
                        .collect();
                    Some(Answer::Blanks(fills))
                })
                .collect(),
        };
        if !q.required {
            all.push(None);
        }
        all
    }

    /// Every permutation of `0..n`.
    fn permutations(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![Vec::new()];
        }
        let mut all = Vec::new();
        for p in permutations(n - 1) {
            for at in 0..=p.len() {
                let mut q = p.clone();
                q.insert(at, n - 1);
                all.push(q);
            }
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
  - { type: order, prompt: P, partial: true, points: 0.7, items: [a, b, c] }
  - type: match
    prompt: P
    partial: true
    pairs: [{ left: a, right: x }, { left: b, right: y }]
  - type: cloze
    prompt: P ___ Q ___
    partial: true
    points: 1.3
    blanks: [{ accept: [x] }, { options: [{ text: a }, { text: b, correct: true }] }]
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

    /// The outcomes holding at a full score, as SPEC §3 defines them (the first `top` outcome
    /// whose dimension strictly leads, or leads tied only with dimensions other outcomes top).
    fn holding_at(quiz: &Quiz, values: &[f64]) -> Vec<usize> {
        let highest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let is_highest: Vec<bool> = values.iter().map(|v| *v == highest).collect();
        let mut top_taken = false;
        let mut holding = Vec::new();
        let bounds_hold = |bounds: &[Bound]| {
            bounds.iter().all(|b| b.holds(values[quiz.dimension_index(&b.dimension).unwrap()]))
        };
        for (k, outcome) in quiz.outcomes.iter().enumerate() {
            let holds = match &outcome.rule {
                OutcomeRule::When(bounds) => bounds_hold(bounds),
                OutcomeRule::Top { dimension, when } => {
                    let wins = !top_taken && quiz.top_holds(dimension, &is_highest) && bounds_hold(when);
                    top_taken |= wins;
                    wins
                }
                // Whatever no other outcome takes.
                OutcomeRule::Otherwise => holding.is_empty(),
            };
            if holds {
                holding.push(k);
            }
        }
        holding
    }

    /// What the coverage check must find, by enumerating the whole product of the groups.
    fn by_brute_force(quiz: &Quiz, groups: &[GroupScores]) -> (bool, BTreeSet<(usize, usize)>, Vec<bool>) {
        let (mut gap, mut overlaps, mut reached) = (false, BTreeSet::new(), vec![false; quiz.outcomes.len()]);
        let mut choice = vec![0usize; groups.len()];
        'all: loop {
            let mut values = vec![0.0; quiz.dimensions.len()];
            for (g, &c) in groups.iter().zip(&choice) {
                for (k, &d) in g.dims.iter().enumerate() {
                    values[d] = g.points[c][k];
                }
            }
            let holding = holding_at(quiz, &values);
            gap |= holding.is_empty();
            for (i, &a) in holding.iter().enumerate() {
                reached[a] = true;
                overlaps.extend(holding[i + 1..].iter().map(|&b| (a, b)));
            }
            for (c, g) in choice.iter_mut().zip(groups) {
                *c += 1;
                if *c < g.points.len() {
                    continue 'all;
                }
                *c = 0;
            }
            break;
        }
        (gap, overlaps, reached)
    }

    /// A random assessment: 1–4 dimensions of agree5 or 0–2 items (some pairs joined by a
    /// shared single question), and 1–6 outcomes mixing `when` boxes and `top`.
    fn random_assessment(seed: u64) -> String {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut below = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let dims = 1 + below(4) as usize;
        let names: Vec<String> = (0..dims).map(|d| format!("d{d}")).collect();
        let mut src = format!(
            "title: T\nmode: assessment\ndimensions: [{}]\nquestions:\n",
            names.iter().map(|n| format!("{{ id: {n} }}")).collect::<Vec<_>>().join(", ")
        );
        for n in &names {
            for _ in 0..1 + below(2) {
                let scale = if below(2) == 0 { "agree5" } else { "{ min: 0, max: 2 }" };
                let required = below(4) != 0;
                src += &format!(
                    "  - {{ type: scale, prompt: P, scale: {scale}, dimension: {n}, required: {required} }}\n"
                );
            }
        }
        if dims > 1 && below(2) == 0 {
            let (a, b) = (below(dims as u64) as usize, below(dims as u64) as usize);
            src += &format!(
                "  - type: single\n    prompt: P\n    options: [{{ text: x, points: {{ {}: 1 }} }}, {{ text: y, points: {{ {}: 2 }} }}]\n",
                names[a], names[b]
            );
        }
        src += "outcomes:\n";
        let outcomes = 1 + below(6);
        for k in 0..outcomes {
            let kind = below(6);
            if k + 1 == outcomes && below(4) == 0 {
                src += &format!("  - {{ id: o{k}, title: O, otherwise: true }}\n");
            } else if kind < 2 {
                // Half of the `top` outcomes also have a `when` on some dimension.
                let top = names[below(dims as u64) as usize].clone();
                let when = if kind == 0 {
                    format!(", when: {{ {}: {{ min: {} }} }}", names[below(dims as u64) as usize], below(10))
                } else {
                    String::new()
                };
                src += &format!("  - {{ id: o{k}, title: O, top: {top}{when} }}\n");
            } else {
                let mut bounds = Vec::new();
                for n in &names {
                    match below(4) {
                        0 => bounds.push(format!("{n}: {{ min: {} }}", below(12))),
                        1 => bounds.push(format!("{n}: {{ below: {} }}", 1 + below(12))),
                        2 => {
                            let min = below(10);
                            bounds.push(format!("{n}: {{ min: {min}, below: {} }}", min + 1 + below(5)));
                        }
                        _ => {}
                    }
                }
                src += &format!("  - {{ id: o{k}, title: O, when: {{ {} }} }}\n", bounds.join(", "));
            }
        }
        src
    }

    #[test]
    fn the_coverage_check_finds_what_brute_force_finds() {
        let mut compared = 0;
        let (mut with_gaps, mut with_overlaps, mut with_unreached) = (0, 0, 0);
        for seed in 0..400 {
            let src = random_assessment(seed);
            let (quiz, _) = crate::quiz::parse(std::path::Path::new("t.yaml"), &src);
            let Some(quiz) = quiz else { continue };
            let groups = assessment_scores(&quiz, &cut_points(&quiz));
            assert!(groups.iter().all(|g| g.exact));
            let coverage = check_coverage(&quiz, &groups);
            let (gap, overlaps, reached) = by_brute_force(&quiz, &groups);
            assert!(!coverage.truncated);
            assert_eq!(!coverage.gaps.is_empty(), gap, "gaps, seed {seed}:\n{src}");
            assert_eq!(
                coverage.overlaps.keys().copied().collect::<BTreeSet<_>>(),
                overlaps,
                "seed {seed}:\n{src}"
            );
            assert_eq!(coverage.reached, reached, "reached, seed {seed}:\n{src}");
            // Every score reported is reachable and shows what it is reported for.
            for values in &coverage.gaps {
                assert!(holding_at(&quiz, values).is_empty(), "seed {seed}: {values:?}");
            }
            for (&(a, b), values) in &coverage.overlaps {
                let holding = holding_at(&quiz, values);
                assert!(holding.contains(&a) && holding.contains(&b), "seed {seed}: {values:?}");
            }
            compared += 1;
            with_gaps += usize::from(gap);
            with_overlaps += usize::from(!overlaps.is_empty());
            with_unreached += usize::from(reached.contains(&false));
        }
        // The random quizzes must exercise every finding, or the comparison means little.
        assert!(compared > 300, "{compared}");
        assert!(
            with_gaps > 50 && with_overlaps > 50 && with_unreached > 20,
            "{with_gaps} {with_overlaps} {with_unreached}"
        );
    }

    /// Two `top` dimensions fed by `n` two-option questions that each give points to both, so
    /// the dimensions are correlated and their 2ⁿ answer combinations are enumerated jointly.
    fn correlated_tops(n: usize) -> String {
        let mut src =
            String::from("title: T\nmode: assessment\ndimensions: [{ id: a }, { id: b }]\nquestions:\n");
        for i in 0..n {
            // Distinct powers of two: every combination of answers gives a distinct score.
            let p = 1u64 << i;
            src += &format!(
                "  - type: single\n    prompt: P\n    options: [{{ text: x, points: {{ a: {p}, b: 0 }} }}, {{ text: y, points: {{ a: 0, b: {p} }} }}]\n"
            );
        }
        src + "outcomes:\n  - { id: more-a, title: A, top: a }\n  - { id: more-b, title: B, top: b }\n"
    }

    #[test]
    fn many_correlated_reachable_scores_are_checked_exactly() {
        // 2¹⁷ = 131,072 reachable scores (issue 15.3: this took over 60 s).
        let src = correlated_tops(17);
        let (quiz, diagnostics) = crate::quiz::parse(std::path::Path::new("t.yaml"), &src);
        let quiz = quiz.unwrap();
        let groups = assessment_scores(&quiz, &cut_points(&quiz));
        assert_eq!(groups.len(), 1);
        assert!(groups[0].exact);
        assert_eq!(groups[0].points.len(), 1 << 17);
        // a + b is always 2¹⁷ − 1, odd, so they never tie: each outcome takes half, no gap.
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let coverage = check_coverage(&quiz, &groups);
        assert_eq!(
            (coverage.gap_count, coverage.overlaps.len(), coverage.reached.clone()),
            (0, 0, vec![true, true])
        );
    }

    #[test]
    fn a_hundred_independent_top_dimensions_are_checked_without_their_product() {
        // 100 dimensions × 3 agree5 items, one `top` outcome each: 13¹⁰⁰ combinations (issue
        // 15.3: this took 10 s and 2 GB and gave up with a warning).
        let names: Vec<String> = (0..100).map(|d| format!("d{d}")).collect();
        let mut src = format!(
            "title: T\nmode: assessment\ndimensions: [{}]\nquestions:\n",
            names.iter().map(|n| format!("{{ id: {n} }}")).collect::<Vec<_>>().join(", ")
        );
        for n in &names {
            src += &format!("  - {{ type: scale, prompt: P, scale: agree5, dimension: {n} }}\n").repeat(3);
        }
        src += "outcomes:\n";
        for n in &names {
            src += &format!("  - {{ id: top-{n}, title: T, top: {n} }}\n");
        }
        // Sound: every dimension is topped, so any tie goes to the earliest, and each can lead.
        quiz(&src);
        // Leave the last dimension untopped: wherever it leads or ties there is a gap (one per
        // candidate highest score, 3 to 15), and its outcome is gone.
        let src = src.replace("  - { id: top-d99, title: T, top: d99 }\n", "");
        let all = errors(&src);
        assert_eq!(all.len(), MAX_GAPS_REPORTED, "{all:#?}");
        assert!(all[0].message.starts_with("the reachable score d0 3, d1 3,"), "{}", all[0].message);
        assert!(all[0].message.ends_with("d98 3, d99 3 matches no outcome"), "{}", all[0].message);
        assert!(all[2].hint.contains("and 10 more"), "{}", all[2].hint);
    }

    #[test]
    fn a_hundred_overlapping_when_outcomes_are_each_reported_once() {
        // Outcome k holds from k to 100 on one dimension, and from k on a second, independent one:
        // every pair overlaps (issue 15.3: 100 such outcomes took 36 s and 2 GB).
        let mut src =
            String::from("title: T\nmode: assessment\ndimensions: [{ id: x }, { id: y }]\nquestions:\n");
        for d in ["x", "y"] {
            src +=
                &format!("  - {{ type: scale, prompt: P, scale: {{ min: 0, max: 100 }}, dimension: {d} }}\n")
                    .repeat(3);
        }
        src += "outcomes:\n";
        for k in 0..100 {
            src +=
                &format!("  - {{ id: o{k}, title: O, when: {{ x: {{ min: {k} }}, y: {{ min: {k} }} }} }}\n");
        }
        let (quiz, _) = crate::quiz::parse(std::path::Path::new("t.yaml"), &src);
        let quiz = quiz.unwrap();
        let coverage = check_coverage(&quiz, &assessment_scores(&quiz, &cut_points(&quiz)));
        assert_eq!(coverage.overlaps.len(), 100 * 99 / 2);
        assert_eq!((coverage.gap_count, coverage.truncated), (0, false));
        // The score shown for a pair is one where both hold (here, where all hundred do).
        assert_eq!(coverage.overlaps[&(3, 70)], vec![99.0, 99.0]);
        assert!(coverage.reached.iter().all(|r| *r));
        // Reported: ten pairs one by one, the rest in one line.
        let all = errors(&src);
        assert_eq!(all.len(), MAX_OVERLAPS_REPORTED + 1, "{all:#?}");
        assert_eq!(
            all[MAX_OVERLAPS_REPORTED].message,
            format!("{} more pairs of outcomes overlap", 4950 - 10)
        );
    }
}
