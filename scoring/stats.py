"""Statistics for the calibration and comparison pages, in pure Python.

Two kinds of function live here. The pages use ``MIN_SAMPLE``/``enough``, ``zscore`` and the
``*_from_sums`` functions, which finish a figure from the sums PostgreSQL computes
(``scoring.calibration_queries``, ``scoring.comparison``). The plain definitions (``mean``,
``sd``, ``median``, ``zscores``, ``pearson``, ``icc_2_1``, ``krippendorff_alpha_interval``,
``share_agree``) are used by no page: they are the test oracles, the textbook formula on a
list of values, that the SQL figures are checked against (tests/scoring/test_stats.py,
test_calibration.py). Standard library only (no numpy, no Django), so every figure can be
checked by hand. Functions return None instead of raising when a figure is undefined (too
few values, zero spread, ...); the pages show "not enough data" for None. Callers should
also check `enough(n, figure)` before showing a figure: a value that is computable is not
necessarily meaningful on a handful of observations.
"""

import math
from collections.abc import Iterable, Mapping, Sequence

# Minimum sample sizes below which a figure is not shown (it is still computable, but too
# noisy to act on). The unit of n is given per figure.
MIN_SAMPLE = {
    "mean": 5,  # scores
    "spread": 5,  # scores (sample standard deviation)
    "median": 5,  # scores
    "correlation": 10,  # (x, y) pairs
    "icc": 5,  # items (subjects) each scored by 2+ raters
    "alpha": 5,  # items (units) with 2+ ratings
    "leniency": 5,  # questions shared with the comparison group
    "agreement": 5,  # (recommendation, decision) pairs
    # Leniency's 95% interval: interviews shared with co-panelists (its clusters; with fewer,
    # a t-interval on four degrees of freedom or less is too wide to say anything).
    "interval": 5,
    # An interviewer's own calibration page: their submitted scorecards before it shows figures.
    "own": 5,
}


def enough(n, figure):
    """True when n observations are enough to show `figure` (a key of MIN_SAMPLE).

    enough(n, figure) = n >= MIN_SAMPLE[figure]. Raises KeyError for an unknown figure so a
    typo cannot silently show an unsupported number.
    """
    return n is not None and n >= MIN_SAMPLE[figure]


def mean(values):
    """Arithmetic mean: mean = (x_1 + ... + x_n) / n. None for no values."""
    values = list(values)
    if not values:
        return None
    return math.fsum(values) / len(values)


def sd(values):
    """Sample standard deviation (n - 1 denominator).

    sd = sqrt( sum_i (x_i - mean)^2 / (n - 1) ). None for fewer than 2 values.
    """
    values = list(values)
    n = len(values)
    if n < 2:
        return None
    m = math.fsum(values) / n
    return math.sqrt(math.fsum((x - m) ** 2 for x in values) / (n - 1))


def sd_from_sums(n, total, squares):
    """The sample standard deviation of n values from their sum and sum of squares:
    sd = sqrt( (squares - total^2 / n) / (n - 1) ), the same figure as ``sd``. None for n < 2."""
    if n is None or n < 2:
        return None
    return math.sqrt(max(0.0, squares - total * total / n) / (n - 1))


def median(values):
    """Median: the middle value of the sorted values; for an even count, the mean of the two
    middle values. None for no values."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    if n % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def zscore(value, mean, sd):
    """Standard score: z = (x - mean) / sd. None when sd is None or 0 (or value/mean is None)."""
    if value is None or mean is None or sd is None or sd == 0:
        return None
    return (value - mean) / sd


def zscores(values_by_key: Mapping):
    """Standard score of every value in a {key: value} mapping against the mapping's own mean
    and sample standard deviation: z_key = (x_key - mean) / sd.

    Returns {key: z}; every z is None when sd is None (fewer than 2 values) or 0 (all equal).
    """
    values = list(values_by_key.values())
    m, s = mean(values), sd(values)
    return {key: zscore(value, m, s) for key, value in values_by_key.items()}


def pearson(xs: Sequence, ys: Sequence):
    """Pearson correlation coefficient of paired values.

    r = sum_i (x_i - mean_x)(y_i - mean_y) / sqrt( sum_i (x_i - mean_x)^2 * sum_i (y_i - mean_y)^2 )

    None when there are fewer than 3 pairs or either variable has zero variance. With a 0/1
    variable as x (say, hired or not) this same formula is the point-biserial correlation,
    so no separate function is needed.
    """
    xs, ys = list(xs), list(ys)
    if len(xs) != len(ys):
        raise ValueError("pearson needs paired values: xs and ys differ in length")
    n = len(xs)
    if n < 3:
        return None
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    r = sxy / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))  # guard against rounding just past +/-1


def pearson_from_sums(n, sum_x, sum_y, sum_xy, sum_xx, sum_yy):
    """``pearson`` from the sums of n pairs (x, y): with S_ab = sum_ab - sum_a sum_b / n,
    r = S_xy / sqrt(S_xx S_yy). None for fewer than 3 pairs or either variable without
    variance (rounding left aside: a centred sum within 1e-12 of its raw sum counts as 0)."""
    if n is None or n < 3:
        return None
    sxx = sum_xx - sum_x * sum_x / n
    syy = sum_yy - sum_y * sum_y / n
    if sxx <= 1e-12 * max(1.0, sum_xx) or syy <= 1e-12 * max(1.0, sum_yy):
        return None
    r = (sum_xy - sum_x * sum_y / n) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def icc_2_1(matrix: Sequence[Sequence]):
    """ICC(2,1): two-way random effects, absolute agreement, single rater (Shrout & Fleiss 1979).

    `matrix` is a complete n_subjects x k_raters table, one row per subject (no missing cells).
    With grand mean G, row (subject) means R_i and column (rater) means C_j:
      SSR = k * sum_i (R_i - G)^2            MSR = SSR / (n - 1)           (subjects)
      SSC = n * sum_j (C_j - G)^2            MSC = SSC / (k - 1)           (raters)
      SSE = sum_ij (x_ij - G)^2 - SSR - SSC  MSE = SSE / ((n - 1)(k - 1))  (residual)
      ICC = (MSR - MSE) / (MSR + (k - 1) MSE + k (MSC - MSE) / n)

    None when n < 2, k < 2 or the denominator is 0. Raises ValueError for ragged rows.
    """
    rows = [list(row) for row in matrix]
    n = len(rows)
    if n < 2:
        return None
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("icc_2_1 needs a complete matrix: every row must have the same length")
    if k < 2:
        return None
    grand = math.fsum(x for row in rows for x in row) / (n * k)
    row_means = [math.fsum(row) / k for row in rows]
    col_means = [math.fsum(row[j] for row in rows) / n for j in range(k)]
    ss_total = math.fsum((x - grand) ** 2 for row in rows for x in row)
    ss_rows = k * math.fsum((r - grand) ** 2 for r in row_means)
    ss_cols = n * math.fsum((c - grand) ** 2 for c in col_means)
    return _icc_from_sums_of_squares(n, k, ss_total, ss_rows, ss_cols)


def _icc_from_sums_of_squares(n, k, ss_total, ss_rows, ss_cols):
    """ICC(2,1) from the two-way table's sums of squares (see ``icc_2_1``)."""
    ss_error = ss_total - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_error / ((n - 1) * (k - 1))
    denominator = msr + (k - 1) * mse + k * (msc - mse) / n
    if abs(denominator) < 1e-12:
        return None
    return (msr - mse) / denominator


def icc_2_1_from_sums(n, k, total, squares, row_squares, column_totals):
    """``icc_2_1`` of a complete n x k table from its sums: the total and sum of squares of
    its cells, the sum of each row's total squared and each column's total. With N = n k and
    C = total^2 / N:
      SS_total = squares - C    SSR = row_squares / k - C    SSC = sum_j column_j^2 / n - C
    and the mean squares and ICC as in ``icc_2_1``. None when n < 2, k < 2 or the
    denominator is 0."""
    if n < 2 or k < 2:
        return None
    if len(column_totals) != k:
        raise ValueError("icc_2_1_from_sums needs one total per rater")
    correction = total * total / (n * k)
    ss_total = squares - correction
    ss_rows = row_squares / k - correction
    ss_cols = math.fsum(c * c for c in column_totals) / n - correction
    return _icc_from_sums_of_squares(n, k, ss_total, ss_rows, ss_cols)


def krippendorff_alpha_interval(units: Iterable[Sequence]):
    """Krippendorff's alpha with the interval metric (squared difference), any number of
    raters, missing ratings allowed.

    `units` is a list of units; each unit is the list of values different raters gave one
    item (missing ratings are simply absent). Units with fewer than 2 values are not pairable
    and are dropped. With m_u values in unit u and n = total number of pairable values:
      D_o = (1/n) * sum_u (1/(m_u - 1)) * sum_{i != j in u} (v_i - v_j)^2     (ordered pairs)
      D_e = (1/(n(n - 1))) * sum_{c != k over all n pairable values} (v_c - v_k)^2
      alpha = 1 - D_o / D_e
    (the coincidence-matrix formulation). alpha = 1 is perfect agreement, 0 is agreement at
    chance level, below 0 is systematic disagreement.

    None when n < 2 or D_e == 0: when everyone gave the same value there is no variation to
    agree about, so alpha is undefined (not 1).
    """
    pairable = [list(unit) for unit in units if len(unit) >= 2]
    values = [v for unit in pairable for v in unit]
    n = len(values)
    if n < 2:
        return None

    def squared_differences(vals):
        # sum over ordered pairs i != j of (v_i - v_j)^2 = 2 * m * sum_i (v_i - mean)^2,
        # the same sum without the O(m^2) loop
        m = len(vals)
        centre = math.fsum(vals) / m
        return 2 * m * math.fsum((v - centre) ** 2 for v in vals)

    observed = math.fsum(squared_differences(unit) / (len(unit) - 1) for unit in pairable) / n
    expected = squared_differences(values) / (n * (n - 1))
    if expected <= 1e-12:
        return None
    return 1 - observed / expected


def krippendorff_alpha_interval_from_sums(values, within, total, squares):
    """``krippendorff_alpha_interval`` from sums over the pairable units: with n pairable
    values (``values``), their ``total`` and sum of ``squares``, and
    ``within`` = sum_u 2 m_u SS_u / (m_u - 1) where SS_u = squares_u - total_u^2 / m_u:
      D_o = within / n     D_e = 2 (squares - total^2 / n) / (n - 1)     alpha = 1 - D_o / D_e
    None when n < 2 or D_e is 0 (no variation to agree about)."""
    if not values or values < 2:
        return None
    expected = 2 * (squares - total * total / values) / (values - 1)
    if expected <= 1e-12:
        return None
    return 1 - (within / values) / expected


def share_agree(pairs: Iterable, agree=None):
    """Share of pairs whose two sides agree, e.g. (interviewer recommends hire?, hiring
    decision was hire?).

    share = (number of pairs (a, b) with a == b) / (number of pairs). `agree(a, b)` may
    replace the equality test. None when there are no pairs.
    """
    pairs = list(pairs)
    if not pairs:
        return None
    same = agree or (lambda a, b: a == b)
    return sum(1 for a, b in pairs if same(a, b)) / len(pairs)


# --- Intervals ------------------------------------------------------------------------------
# Leniency's interval needs Student's t quantile; without scipy it comes from the regularised
# incomplete beta function (its continued fraction, evaluated by the modified Lentz method), and
# the quantile from bisection on the distribution function: exact to ~1e-10, a few microseconds.


def _incomplete_beta(a, b, x):
    """The regularised incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):  # the fraction converges fast only below this point
        return 1.0 - _incomplete_beta(b, a, 1.0 - x)
    log_front = a * math.log(x) + b * math.log1p(-x) - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    tiny = 1e-300
    fraction, c, d = 1.0, 1.0, 0.0
    # 1 / (1 + d_1 / (1 + d_2 / (1 + ...))): the numerators 1, d_1, d_2, ... in turn, with
    # d_(2m+1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)), d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m))
    for j in range(400):
        m = j // 2
        if j == 0:
            term = 1.0
        elif j % 2:
            term = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
        else:
            term = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + term * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + term / c
        c = c if abs(c) > tiny else tiny
        fraction *= c * d
        if abs(1.0 - c * d) < 1e-15:
            break
    return math.exp(log_front) / a * (fraction - 1.0)


def t_cdf(t, df):
    """P(T <= t) for Student's t with ``df`` degrees of freedom:
    1 - I_{df / (df + t^2)}(df / 2, 1 / 2) / 2 for t >= 0, symmetric below 0."""
    tail = 0.5 * _incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p, df):
    """The t with P(T <= t) = p, for 0 < p < 1 and df >= 1 (bisection on ``t_cdf``)."""
    if not 0 < p < 1 or df < 1:
        raise ValueError("t_quantile needs 0 < p < 1 and df >= 1")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def clustered_mean_interval(groups: Iterable[Sequence], confidence=0.95):
    """The mean of all values and its confidence interval when the values come in groups that
    are not independent inside (the score differences of one interview: the same candidate,
    the same evening). Definition, the test oracle of ``clustered_mean_interval_from_sums``:

      L = sum of all values / n                       (n values in k groups)
      e_j = sum over group j of (x - L)                 (each group's residual)
      SE = sqrt( k / (k - 1) * sum_j e_j^2 ) / n        (the cluster-robust standard error)
      interval = L -/+ t_{(1 + confidence) / 2, k - 1} * SE

    With groups of equal size it is exactly the t-interval on the groups' means. Returns
    (L, low, high); (L, None, None) with fewer than 2 groups; None with no values."""
    groups = [list(group) for group in groups if len(group)]
    values = [x for group in groups for x in group]
    if not values:
        return None
    n, k = len(values), len(groups)
    centre = math.fsum(values) / n
    if k < 2:
        return centre, None, None
    residuals = math.fsum(math.fsum(x - centre for x in group) ** 2 for group in groups)
    half = t_quantile((1 + confidence) / 2, k - 1) * math.sqrt(k / (k - 1) * residuals) / n
    return centre, centre - half, centre + half


def clustered_mean_interval_from_sums(k, n, total, group_squares, group_cross, size_squares, confidence=0.95):
    """``clustered_mean_interval`` from sums PostgreSQL computes per group j (its sum G_j and
    its size m_j): k groups, n = sum m_j values, total = sum G_j, group_squares = sum G_j^2,
    group_cross = sum G_j m_j, size_squares = sum m_j^2. Since e_j = G_j - L m_j,
    sum_j e_j^2 = group_squares - 2 L group_cross + L^2 size_squares. Returns (low, high), or
    None with fewer than 2 groups."""
    if not k or k < 2 or not n:
        return None
    centre = total / n
    residuals = group_squares - 2 * centre * group_cross + centre * centre * size_squares
    # The expansion subtracts numbers of the size of group_squares: when the groups agree, what
    # is left is rounding noise (~1e-16 of it), whose square root would read as a width of
    # ~1e-7 (hypothesis found two identical groups). Below that noise the residuals are zero.
    if residuals < 1e-12 * max(group_squares, 1.0):
        residuals = 0.0
    half = t_quantile((1 + confidence) / 2, k - 1) * math.sqrt(k / (k - 1) * residuals) / n
    return centre - half, centre + half
