/* twitchnet.engine._kernel: the "enumeration" engine's inner loops in C (optional; see kernel.py).
 *
 * The reference engine's sums (twitchnet/engine/reference.py), rearranged in probability space:
 *   P(s, e) = hi[s_I] * lo[s_D] * prod_{f present} P(f | s),
 * with lo summed over the live contexts (explain: a soft finding's factor P(f absent | s) +
 * r P(f present | s) is one more row of the product), absent findings folded into each cause's "present"
 * weight, and, for every cause, the mass of the states with it present and with it absent
 * summed separately (no cancellation). Rows whose sums fall below TINY are flagged so that the
 * caller recomputes them with the reference engine in log space. The tables are numpy arrays
 * built by twitchnet.engine.kernel.Plan; this module holds buffer views on them (so they stay alive)
 * and never writes to them. The GIL is released around the loops.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef TINY
#define TINY 1e-280 /* twitchnet/limits.py SAFE_FLOOR: setup.py passes it */
#endif
/* The limits of twitchnet/limits.py (MAX_CAUSES, MAX_FINDINGS): setup.py passes them; the module
 * exposes them as MAXC and MAXF, and a test checks they agree with the loader's. */
#ifndef MAXC
#define MAXC 16
#endif
#ifndef MAXF
#define MAXF 256
#endif
#define NVIEWS 10

#if defined(__GNUC__) || defined(__clang__)
/* Four doubles as one value (GCC and Clang vector extensions; two SSE2 registers on plain x86-64):
 * elementwise arithmetic only, so every lane is the same sum in the same order as scalar code. */
typedef double v4 __attribute__((vector_size(32)));
#define VEC4 1
#endif
/* The two hot loops also in an AVX2 version, picked at load time on x86-64 Linux (GCC's function
 * multiversioning): the same operations in the same order, on wider registers. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && !defined(TWITCHNET_NO_CLONES)
#define HOT __attribute__((target_clones("avx2", "default")))
#else
#define HOT
#endif

typedef struct {
    int n_c, n_k, n_f, n_r, n_dep, n_ind, n_lo, n_hi, n_s;
    int order[MAXC];
    int64_t n_ctx_patterns;
    int64_t n_patterns[MAXC];
    const double *ctx_w;        /* (P_ctx, K) */
    const double *q_all;        /* (P, K, 2) */
    const int64_t *q_offset;    /* (C) */
    const double *p_obs;        /* (2F, S): rows 0..F-1 absent, F..2F-1 present */
    const double *keep;         /* (F, C): 1 - p_cf */
    const double *log_leak_off; /* (F) */
    const double *cf_rows;      /* (2F, S) */
    const double *cf_coef;      /* (C, 2F) */
    const int64_t *code_terms;  /* (R, C + 1): (rf_state + 1) @ code_terms = pattern codes */
    /* Per row of p_obs and of cf_rows (2F each), read from the tables at make_plan: which part of
     * the state index (s = h * n_lo + l) the row varies with. A finding whose causes are all
     * context-dependent varies with l only, so a row touches n_lo numbers, not n_s. */
    unsigned char *obs_kind, *cf_kind;
    Py_buffer views[NVIEWS];
    int n_views;
} Plan;

static void plan_free(PyObject *capsule) {
    Plan *p = (Plan *)PyCapsule_GetPointer(capsule, "twitchnet.plan");
    if (p == NULL) return;
    for (int i = 0; i < p->n_views; i++) PyBuffer_Release(&p->views[i]);
    free(p->obs_kind);
    free(p->cf_kind);
    free(p);
}

enum { ROW_LO = 0, ROW_HI = 1, ROW_MIXED = 2 };

/* Which part of the state index a table row (n_s entries, s = h * n_lo + l) varies with: ROW_LO
 * when every block of n_lo entries equals the first (also a constant row), ROW_HI when every
 * block is constant, else ROW_MIXED. Read from the numbers (bit for bit), so nothing the tables do
 * not say is assumed: a row that differs anywhere is treated as mixed. */
static unsigned char row_kind(const double *row, int n_lo, int n_hi) {
    int lo = 1, hi = 1;
    for (int h = 1; h < n_hi && lo; h++)
        if (memcmp(row + (Py_ssize_t)h * n_lo, row, sizeof(double) * n_lo) != 0) lo = 0;
    if (lo) return ROW_LO;
    for (int h = 0; h < n_hi && hi; h++)
        for (int l = 1; l < n_lo; l++)
            if (row[(Py_ssize_t)h * n_lo + l] != row[(Py_ssize_t)h * n_lo]) {
                hi = 0;
                break;
            }
    return hi ? ROW_HI : ROW_MIXED;
}

static int take_view(Plan *p, PyObject *obj, Py_ssize_t expect_bytes, const char *name) {
    Py_buffer *v = &p->views[p->n_views];
    if (PyObject_GetBuffer(obj, v, PyBUF_C_CONTIGUOUS) < 0) return -1;
    p->n_views++;
    if (v->len != expect_bytes) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd bytes, got %zd", name, expect_bytes, v->len);
        return -1;
    }
    return 0;
}

/* make_plan(layout, ctx_w, q_all, q_offset, p_obs, keep, log_leak_off, cf_rows, cf_coef, code_terms) -> capsule
 * layout (int64): n_c, n_k, n_f, n_dep, n_ind, n_ctx_patterns, n_r, order[n_c], n_patterns[n_c] */
static PyObject *make_plan(PyObject *self, PyObject *args) {
    Py_buffer layout;
    PyObject *arrs[9];
    if (!PyArg_ParseTuple(args, "y*OOOOOOOOO", &layout, &arrs[0], &arrs[1], &arrs[2], &arrs[3], &arrs[4], &arrs[5], &arrs[6], &arrs[7], &arrs[8]))
        return NULL;
    const int64_t *L = (const int64_t *)layout.buf;
    Py_ssize_t nl = layout.len / 8;
    if (nl < 7 || L[0] < 1 || L[0] > MAXC || nl != 7 + 2 * L[0] || L[3] + L[4] != L[0] || L[1] < 1 || L[6] < 1) {
        PyBuffer_Release(&layout);
        PyErr_SetString(PyExc_ValueError, "make_plan: bad layout");
        return NULL;
    }
    Plan *p = (Plan *)calloc(1, sizeof(Plan));
    if (p == NULL) {
        PyBuffer_Release(&layout);
        return PyErr_NoMemory();
    }
    p->n_c = (int)L[0];
    p->n_k = (int)L[1];
    p->n_f = (int)L[2];
    p->n_dep = (int)L[3];
    p->n_ind = (int)L[4];
    p->n_ctx_patterns = L[5];
    p->n_r = (int)L[6];
    int64_t total_patterns = 0;
    for (int i = 0; i < p->n_c; i++) {
        p->order[i] = (int)L[7 + i];
        p->n_patterns[i] = L[7 + p->n_c + i];
        total_patterns += p->n_patterns[i];
    }
    PyBuffer_Release(&layout);
    p->n_lo = 1 << p->n_dep;
    p->n_hi = 1 << p->n_ind;
    p->n_s = 1 << p->n_c;
    Py_ssize_t C = p->n_c, K = p->n_k, F = p->n_f, S = p->n_s;
    if (take_view(p, arrs[0], p->n_ctx_patterns * K * 8, "ctx_w") < 0 ||
        take_view(p, arrs[1], total_patterns * K * 2 * 8, "q_all") < 0 ||
        take_view(p, arrs[2], C * 8, "q_offset") < 0 ||
        take_view(p, arrs[3], 2 * F * S * 8, "p_obs") < 0 ||
        take_view(p, arrs[4], F * C * 8, "keep") < 0 ||
        take_view(p, arrs[5], F * 8, "log_leak_off") < 0 ||
        take_view(p, arrs[6], 2 * F * S * 8, "cf_rows") < 0 ||
        take_view(p, arrs[7], C * 2 * F * 8, "cf_coef") < 0 ||
        take_view(p, arrs[8], (Py_ssize_t)p->n_r * (C + 1) * 8, "code_terms") < 0) {
        for (int i = 0; i < p->n_views; i++) PyBuffer_Release(&p->views[i]);
        free(p);
        return NULL;
    }
    p->ctx_w = p->views[0].buf;
    p->q_all = p->views[1].buf;
    p->q_offset = p->views[2].buf;
    p->p_obs = p->views[3].buf;
    p->keep = p->views[4].buf;
    p->log_leak_off = p->views[5].buf;
    p->cf_rows = p->views[6].buf;
    p->cf_coef = p->views[7].buf;
    p->code_terms = p->views[8].buf;
    p->obs_kind = (unsigned char *)malloc(2 * F + 1);
    p->cf_kind = (unsigned char *)malloc(2 * F + 1);
    if (p->obs_kind == NULL || p->cf_kind == NULL) {
        for (int i = 0; i < p->n_views; i++) PyBuffer_Release(&p->views[i]);
        free(p->obs_kind);
        free(p->cf_kind);
        free(p);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t r = 0; r < 2 * F; r++) {
        p->obs_kind[r] = row_kind(p->p_obs + r * S, p->n_lo, p->n_hi);
        p->cf_kind[r] = row_kind(p->cf_rows + r * S, p->n_lo, p->n_hi);
    }
    PyObject *cap = PyCapsule_New(p, "twitchnet.plan", plan_free);
    if (cap == NULL) {
        for (int i = 0; i < p->n_views; i++) PyBuffer_Release(&p->views[i]);
        free(p->obs_kind);
        free(p->cf_kind);
        free(p);
    }
    return cap;
}

static int codes_ok(const Plan *p, const int64_t *codes) {
    for (int c = 0; c < p->n_c; c++)
        if (codes[c] < 0 || codes[c] >= p->n_patterns[c]) return 0;
    return codes[p->n_c] >= 0 && codes[p->n_c] < p->n_ctx_patterns;
}

/* The prior as two factors: lo over the dependent causes (contexts summed), hi over the others.
 * keep (length C, or NULL) multiplies each cause's present weight. tmp has n_lo doubles. */
HOT static void prior(const Plan *p, const int64_t *codes, const double *keep, double *lo, double *hi, double *tmp) {
    const int K = p->n_k;
    const double *w = p->ctx_w + codes[p->n_c] * K;
    for (int t = 0; t < p->n_lo; t++) lo[t] = 0.0;
    for (int k = 0; k < K; k++) {
        if (w[k] == 0.0) continue;
        tmp[0] = w[k];
        int len = 1;
        for (int i = 0; i < p->n_dep; i++) {
            int c = p->order[i];
            const double *q = p->q_all + ((p->q_offset[c] + codes[c]) * K + k) * 2;
            double q0 = q[0], q1 = keep ? q[1] * keep[c] : q[1];
            for (int t = 0; t < len; t++) {
                tmp[t + len] = tmp[t] * q1;
                tmp[t] *= q0;
            }
            len <<= 1;
        }
        for (int t = 0; t < p->n_lo; t++) lo[t] += tmp[t];
    }
    hi[0] = 1.0;
    int len = 1;
    for (int i = 0; i < p->n_ind; i++) {
        int c = p->order[p->n_dep + i];
        const double *q = p->q_all + (p->q_offset[c] + codes[c]) * K * 2; /* context 0: all equal */
        double q0 = q[0], q1 = keep ? q[1] * keep[c] : q[1];
        for (int t = 0; t < len; t++) {
            hi[t + len] = hi[t] * q1;
            hi[t] *= q0;
        }
        len <<= 1;
    }
}

/* For each bit i < nbits of the index of x (2**nbits entries), the sum of x over the indices with
 * the bit set (into pres[cause[i]]) and clear (absn[cause[i]]); returns the total. The top bit is
 * folded first: its two halves are summed, and added into y (2**(nbits-1) scratch, may not be x),
 * which then holds the same sums for the remaining bits, and so on down: 3 * 2**nbits additions,
 * all over contiguous memory, in eight independent lanes (the compiler vectorises them without
 * reordering any one sum). */
HOT static double fold_sums(const double *x, double *y, int nbits, const int *cause, double *pres, double *absn) {
    if (nbits == 0) return x[0];
    for (int i = nbits - 1; i >= 0; i--) {
        const int half = 1 << i;
        const double *a = x + half; /* the indices with bit i set */
        double sa = 0.0, sb = 0.0;
        if (half >= 8) {
            double ra[8], rb[8];
#ifdef VEC4
            v4 a0 = {0.0, 0.0, 0.0, 0.0}, a1 = a0, b0 = a0, b1 = a0;
            for (int t = 0; t < half; t += 8) {
                v4 xa0, xa1, xb0, xb1;
                memcpy(&xa0, a + t, sizeof xa0);
                memcpy(&xa1, a + t + 4, sizeof xa1);
                memcpy(&xb0, x + t, sizeof xb0);
                memcpy(&xb1, x + t + 4, sizeof xb1);
                a0 += xa0;
                a1 += xa1;
                b0 += xb0;
                b1 += xb1;
                xa0 += xb0;
                xa1 += xb1;
                memcpy(y + t, &xa0, sizeof xa0);
                memcpy(y + t + 4, &xa1, sizeof xa1);
            }
            memcpy(ra, &a0, sizeof a0);
            memcpy(ra + 4, &a1, sizeof a1);
            memcpy(rb, &b0, sizeof b0);
            memcpy(rb + 4, &b1, sizeof b1);
#else
            for (int j = 0; j < 8; j++) ra[j] = rb[j] = 0.0;
            for (int t = 0; t < half; t += 8)
                for (int j = 0; j < 8; j++) {
                    const double xa = a[t + j], xb = x[t + j];
                    ra[j] += xa;
                    rb[j] += xb;
                    y[t + j] = xa + xb;
                }
#endif
            sa = ((ra[0] + ra[1]) + (ra[2] + ra[3])) + ((ra[4] + ra[5]) + (ra[6] + ra[7]));
            sb = ((rb[0] + rb[1]) + (rb[2] + rb[3])) + ((rb[4] + rb[5]) + (rb[6] + rb[7]));
        } else {
            for (int t = 0; t < half; t++) {
                sa += a[t];
                sb += x[t];
                y[t] = a[t] + x[t];
            }
        }
        pres[cause[i]] = sa;
        absn[cause[i]] = sb;
        x = y; /* in place from here on: y[t] is written after x[t] and x[t + half] are read */
    }
    return y[0];
}

/* dst = src * row over the joint states (dst may be src), reading of the row only what its kind
 * says varies: a ROW_LO row's first n_lo entries (repeated for every h), a ROW_HI row's entry per
 * block. The same products as the full row, from far less memory. */
HOT static void mul_row(const Plan *p, double *dst, const double *src, const double *row, unsigned char kind) {
    const int nlo = p->n_lo, nhi = p->n_hi;
    for (int h = 0; h < nhi; h++) {
        const Py_ssize_t at = (Py_ssize_t)h * nlo;
        if (kind == ROW_LO)
            for (int l = 0; l < nlo; l++) dst[at + l] = src[at + l] * row[l];
        else if (kind == ROW_HI) {
            const double r = row[at];
            for (int l = 0; l < nlo; l++) dst[at + l] = src[at + l] * r;
        } else
            for (int l = 0; l < nlo; l++) dst[at + l] = src[at + l] * row[at + l];
    }
}

/* Per cause, the mass with it present and absent; returns the total. y: n_s / 2 scratch. */
static double sums(const Plan *p, const double *J, double *pres, double *absn, double *y) {
    return fold_sums(J, y, p->n_c, p->order, pres, absn);
}

/* sums() of the rank-one joint hi[h] * lo[l] (no mixed finding present): the per-cause masses of
 * each factor times the other factor's total. y: n_lo / 2 scratch (at least 1). */
static double product_sums(const Plan *p, const double *lo, const double *hi, double *pres, double *absn, double *y) {
    const double slo = fold_sums(lo, y, p->n_dep, p->order, pres, absn);
    const double shi = fold_sums(hi, y, p->n_ind, p->order + p->n_dep, pres, absn);
    for (int i = 0; i < p->n_dep; i++) {
        pres[p->order[i]] *= shi;
        absn[p->order[i]] *= shi;
    }
    for (int i = p->n_dep; i < p->n_c; i++) {
        pres[p->order[i]] *= slo;
        absn[p->order[i]] *= slo;
    }
    return slo * shi;
}

/* sums() of the joint hi[h] * lo[l] * prod_j rows[j][s], built in J (n_s) one block of n_lo states
 * (a value of h) at a time; y: n_s / 2 scratch. */
HOT static double joint_sums(const Plan *p, const double *lo, const double *hi, const double *const *rows, int n_rows, double *pres, double *absn,
                         double *J, double *y) {
    const int nlo = p->n_lo, nhi = p->n_hi;
    for (int h = 0; h < nhi; h++) {
        const Py_ssize_t at = (Py_ssize_t)h * nlo;
        const double hh = hi[h];
        const double *r0 = rows[0] + at;
        double *blk = J + at;
        for (int l = 0; l < nlo; l++) blk[l] = hh * lo[l] * r0[l];
        for (int j = 1; j < n_rows; j++) {
            const double *r = rows[j] + at;
            for (int l = 0; l < nlo; l++) blk[l] *= r[l];
        }
    }
    return sums(p, J, pres, absn, y);
}

static int in_range(double x) { return x > TINY && isfinite(x); }

/* Read a sequence of Python ints into a malloc'ed int64 array; returns its length or -1. */
static Py_ssize_t int_list(PyObject *seq, int64_t **out, const char *what) {
    PyObject *fast = PySequence_Fast(seq, what);
    if (fast == NULL) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    *out = (int64_t *)malloc(sizeof(int64_t) * (n > 0 ? n : 1));
    if (*out == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < n; i++) {
        long long x = PyLong_AsLongLong(items[i]);
        if (x == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
        (*out)[i] = x;
    }
    Py_DECREF(fast);
    return n;
}

static PyObject *float_list(const double *x, Py_ssize_t n, Py_ssize_t stride) {
    PyObject *list = PyList_New(n);
    if (list == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = PyFloat_FromDouble(x[i * stride]);
        if (f == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, f);
    }
    return list;
}

static double expit(double x) { return 1.0 / (1.0 + exp(-x)); }

/* Row kind of a soft finding's row p0 + r * p1: the kind of both rows when they agree, else mixed. */
static unsigned char soft_kind(unsigned char a, unsigned char b) { return a == b ? a : ROW_MIXED; }

/* explain(plan, codes, rows, positive[, ratios[, with_steps]]) -> tuple
 * codes: C + 1 ints; rows: in the order the findings are added, value * F + f for a hard answer (a
 * row of p_obs) and 2F + f for a soft one, whose factor is P(f absent | s) + r P(f present | s)
 * (virtual evidence, P(report | absent) = 1; both terms non-negative, so no cancellation) with r
 * the next entry of ratios (one positive finite float per soft row, in order);
 * positive: indices of the findings observed present (hard).
 * Returns (status, log_evidence, prior_log_odds, log_odds, prior, probability, steps, disablement,
 * sufficiency): lists of C floats, steps a list of C lists (the change in each cause's log-odds
 * as each finding is added). status 0: ok; 1: a sum left the safe range, only log_evidence is
 * filled (use the reference engine); 2: impossible evidence (log_evidence = -inf).
 * with_steps (default true) false: the sums only before the first and after the last row, and
 * steps None (the caller computes them when they are read). Status is then the same: a hard row
 * is a probability (at most 1), so each cause's two sums never grow from one row to the next
 * (products of numbers at most 1, summed in the same order), and the last row is in range only if
 * every one before it is; ratios (soft rows, which can exceed 1) need with_steps. */
static PyObject *explain(PyObject *self, PyObject *args) {
    PyObject *cap, *codes_o, *rows_o, *pos_o, *ratios_o = NULL;
    int with_steps = 1;
    if (!PyArg_ParseTuple(args, "OOOO|Op", &cap, &codes_o, &rows_o, &pos_o, &ratios_o, &with_steps)) return NULL;
    Plan *p = (Plan *)PyCapsule_GetPointer(cap, "twitchnet.plan");
    if (p == NULL) return NULL;
    const int C = p->n_c, F = p->n_f, S = p->n_s;
    int64_t *codes = NULL, *rows = NULL, *pos = NULL;
    double *work = NULL, *lod = NULL, *ratios = NULL, *soft = NULL;
    const double **row_of = NULL;
    unsigned char *kind_of = NULL;
    PyObject *result = NULL;
    Py_ssize_t nc = int_list(codes_o, &codes, "codes"), n = -1, npos = -1, nsoft = 0;
    if (nc >= 0) n = int_list(rows_o, &rows, "rows");
    if (n >= 0) npos = int_list(pos_o, &pos, "positive");
    if (npos < 0) goto done;
    if (nc != C + 1 || !codes_ok(p, codes)) {
        PyErr_SetString(PyExc_ValueError, "explain: bad pattern codes");
        goto done;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        if (rows[j] < 0 || rows[j] >= 3 * F) {
            PyErr_SetString(PyExc_ValueError, "explain: bad row");
            goto done;
        }
        nsoft += rows[j] >= 2 * F;
    }
    {
        Py_ssize_t nr = 0;
        if (ratios_o != NULL && ratios_o != Py_None) {
            PyObject *fast = PySequence_Fast(ratios_o, "ratios");
            if (fast == NULL) goto done;
            nr = PySequence_Fast_GET_SIZE(fast);
            ratios = (double *)malloc(sizeof(double) * (nr > 0 ? nr : 1));
            if (ratios == NULL) {
                Py_DECREF(fast);
                PyErr_NoMemory();
                goto done;
            }
            for (Py_ssize_t i = 0; i < nr; i++) {
                ratios[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(fast, i));
                if (ratios[i] == -1.0 && PyErr_Occurred()) {
                    Py_DECREF(fast);
                    goto done;
                }
                if (!(ratios[i] > 0.0) || !isfinite(ratios[i])) {
                    Py_DECREF(fast);
                    PyErr_SetString(PyExc_ValueError, "explain: a ratio is not a positive finite number");
                    goto done;
                }
            }
            Py_DECREF(fast);
        }
        if (nr != nsoft) {
            PyErr_SetString(PyExc_ValueError, "explain: one ratio per soft row expected");
            goto done;
        }
        if (nsoft > 0 && !with_steps) {
            PyErr_SetString(PyExc_ValueError, "explain: soft rows need with_steps");
            goto done;
        }
    }
    for (Py_ssize_t j = 0; j < npos; j++)
        if (pos[j] < 0 || pos[j] >= F) {
            PyErr_SetString(PyExc_ValueError, "explain: bad finding");
            goto done;
        }
    work = (double *)malloc(sizeof(double) * (S + S / 2 + 1 + 3 * p->n_lo + 2 * p->n_hi + 4 * C));
    lod = (double *)malloc(sizeof(double) * (n + 1) * C);
    soft = (double *)malloc(sizeof(double) * (nsoft > 0 ? nsoft * (Py_ssize_t)S : 1));
    row_of = (const double **)malloc(sizeof(double *) * (n > 0 ? n : 1));
    kind_of = (unsigned char *)malloc(n > 0 ? n : 1);
    if (work == NULL || lod == NULL || soft == NULL || row_of == NULL || kind_of == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    double *J = work, *lo = J + S, *tmp = lo + p->n_lo, *u = tmp + p->n_lo, *hi = u + p->n_lo, *v = hi + p->n_hi;
    double *pres = v + p->n_hi, *absn = pres + C, *dis = absn + C, *suf = dis + C, *y = suf + C;
    int status = 0;
    double total = 0.0, leak = 0.0; /* leak: without steps, log prod (1 - leak_f) over the absent findings, folded out */
    Py_BEGIN_ALLOW_THREADS
    /* each finding's row: a row of p_obs, or for a soft finding its own row p0 + r * p1 */
    for (Py_ssize_t j = 0, k = 0; j < n; j++) {
        if (rows[j] < 2 * F) {
            row_of[j] = p->p_obs + rows[j] * S;
            kind_of[j] = p->obs_kind[rows[j]];
            continue;
        }
        const Py_ssize_t f = rows[j] - 2 * F;
        const double *p0 = p->p_obs + f * S, *p1 = p->p_obs + (F + f) * S, r = ratios[k];
        double *out = soft + k * (Py_ssize_t)S;
        for (int s = 0; s < S; s++) out[s] = p0[s] + r * p1[s];
        row_of[j] = out;
        kind_of[j] = soft_kind(p->obs_kind[f], p->obs_kind[F + f]);
        k++;
    }
    prior(p, codes, NULL, lo, hi, tmp);
    for (int h = 0; h < p->n_hi; h++)
        for (int l = 0; l < p->n_lo; l++) J[h * p->n_lo + l] = hi[h] * lo[l];
    for (Py_ssize_t j = 0; j <= (with_steps ? n : 0); j++) {
        if (j > 0) mul_row(p, J, J, row_of[j - 1], kind_of[j - 1]);
        total = sums(p, J, pres, absn, y);
        for (int c = 0; c < C; c++) {
            if (!in_range(pres[c]) || !in_range(absn[c])) status = 1;
            lod[j * C + c] = log(pres[c] / absn[c]);
        }
    }
    if (!with_steps && n > 0) {
        /* All the evidence at once, as batch() sums it: the absent findings fold into each cause's
         * present weight and a constant (leak); a present finding's row multiplies the factor it
         * varies with (lo, hi), or the joint states (mixed). The range check is on the sums with
         * the constant put back. */
        double keep[MAXC];
        for (int c = 0; c < C; c++) keep[c] = 1.0;
        for (Py_ssize_t j = 0; j < n; j++) {
            if (rows[j] >= F) continue;
            const double *kf = p->keep + rows[j] * C;
            for (int c = 0; c < C; c++) keep[c] *= kf[c];
            leak += p->log_leak_off[rows[j]];
        }
        prior(p, codes, keep, lo, hi, tmp);
        int n_mixed = 0;
        for (Py_ssize_t j = 0; j < n; j++) {
            if (rows[j] < F) continue;
            const double *row = row_of[j];
            if (kind_of[j] == ROW_LO)
                for (int l = 0; l < p->n_lo; l++) lo[l] *= row[l];
            else if (kind_of[j] == ROW_HI)
                for (int h = 0; h < p->n_hi; h++) hi[h] *= row[(Py_ssize_t)h * p->n_lo];
            else
                row_of[n_mixed++] = row; /* row_of[j] is read before it can be overwritten (n_mixed <= j) */
        }
        if (n_mixed)
            total = joint_sums(p, lo, hi, row_of, n_mixed, pres, absn, J, y);
        else {
            for (int h = 0; h < p->n_hi; h++)
                for (int l = 0; l < p->n_lo; l++) J[h * p->n_lo + l] = hi[h] * lo[l];
            total = sums(p, J, pres, absn, y);
        }
        const double scale = exp(leak);
        for (int c = 0; c < C; c++) {
            if (!in_range(pres[c] * scale) || !in_range(absn[c] * scale)) status = 1;
            lod[n * C + c] = log(pres[c] / absn[c]);
        }
    }
    if (!(total > 0.0)) status = 2;
    for (int c = 0; c < C; c++) dis[c] = suf[c] = 0.0;
    if (status == 0 && npos > 0) {
        /* For each present finding f and each cause c, the posterior mass of the states with c
         * present weighted by the finding's table (see counterfactual.py), times c's coefficient. */
        double *x = J; /* J is no longer needed after post = J / total: reuse it in place */
        double inv_total = 1.0 / total;
        for (int s = 0; s < S; s++) x[s] *= inv_total;
        double *w = (double *)malloc(sizeof(double) * S);
        if (w != NULL) {
            for (Py_ssize_t q = 0; q < npos; q++) {
                for (int half = 0; half < 2; half++) {
                    const Py_ssize_t r = (Py_ssize_t)half * F + pos[q];
                    mul_row(p, w, x, p->cf_rows + r * S, p->cf_kind[r]);
                    sums(p, w, pres, absn, y);
                    double *acc = half ? suf : dis;
                    for (int c = 0; c < C; c++) acc[c] += pres[c] * p->cf_coef[(Py_ssize_t)c * 2 * F + half * F + pos[q]];
                }
            }
            free(w);
        } else {
            status = 3;
        }
    }
    Py_END_ALLOW_THREADS
    if (status == 3) {
        PyErr_NoMemory();
        goto done;
    }
    double log_ev = status == 2 ? -INFINITY : log(total) + leak;
    if (status != 0) {
        result = Py_BuildValue("(idOOOOOOO)", status, log_ev, Py_None, Py_None, Py_None, Py_None, Py_None, Py_None, Py_None);
        goto done;
    }
    double *first = lod, *last = lod + n * C;
    double pp[MAXC], qq[MAXC];
    for (int c = 0; c < C; c++) {
        pp[c] = expit(first[c]);
        qq[c] = expit(last[c]);
    }
    PyObject *steps = Py_None;
    if (with_steps) steps = PyList_New(C);
    else Py_INCREF(Py_None);
    if (steps == NULL) goto done;
    for (int c = 0; c < C && with_steps; c++) {
        PyObject *row = PyList_New(n);
        if (row == NULL) {
            Py_DECREF(steps);
            goto done;
        }
        for (Py_ssize_t j = 0; j < n; j++) {
            PyObject *f = PyFloat_FromDouble(lod[(j + 1) * C + c] - lod[j * C + c]);
            if (f == NULL) {
                Py_DECREF(row);
                Py_DECREF(steps);
                goto done;
            }
            PyList_SET_ITEM(row, j, f);
        }
        PyList_SET_ITEM(steps, c, row);
    }
    result = Py_BuildValue("(idNNNNNNN)", status, log_ev, float_list(first, C, 1), float_list(last, C, 1), float_list(pp, C, 1),
                           float_list(qq, C, 1), steps, float_list(dis, C, 1), float_list(suf, C, 1));
done:
    free(codes);
    free(rows);
    free(pos);
    free(work);
    free(lod);
    free(ratios);
    free(soft);
    free((void *)row_of);
    free(kind_of);
    return result;
}

/* batch(plan, rf_state, finding_state, prob, log_ev, hard) -> None
 * rf_state: int8 (N, R), -1 unknown; finding_state: int8 (N, F) with 1 present, 0 absent, -1
 * unknown; prob: float64 (N, C) out; log_ev: float64 (N) out; hard: uint8 (N) out, 1 where a sum
 * is out of range (recompute with the reference engine). */
static PyObject *batch(PyObject *self, PyObject *args) {
    PyObject *cap;
    Py_buffer rf_b, fs_b, prob_b, lev_b, hard_b;
    if (!PyArg_ParseTuple(args, "Oy*y*w*w*w*", &cap, &rf_b, &fs_b, &prob_b, &lev_b, &hard_b)) return NULL;
    PyObject *result = NULL;
    double *work = NULL;
    int64_t *codes = NULL;
    const double **mixed = NULL;
    Plan *p = (Plan *)PyCapsule_GetPointer(cap, "twitchnet.plan");
    if (p == NULL) goto done;
    const int C = p->n_c, F = p->n_f, S = p->n_s, R = p->n_r;
    const Py_ssize_t N = lev_b.len / 8;
    const int8_t *rf = rf_b.buf, *fs = fs_b.buf;
    double *prob = prob_b.buf, *lev = lev_b.buf;
    uint8_t *hard = hard_b.buf;
    if (rf_b.len != N * R || fs_b.len != N * F || prob_b.len != N * C * 8 || hard_b.len != N) {
        PyErr_SetString(PyExc_ValueError, "batch: bad arguments");
        goto done;
    }
    work = (double *)malloc(sizeof(double) * (S + S / 2 + 1 + 3 * p->n_lo + 2 * p->n_hi + 3 * C));
    codes = (int64_t *)malloc(sizeof(int64_t) * (C + 1));
    mixed = (const double **)malloc(sizeof(double *) * (F + 1));
    if (work == NULL || codes == NULL || mixed == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    double *J = work, *lo = J + S, *tmp = lo + p->n_lo, *u = tmp + p->n_lo, *hi = u + p->n_lo, *v = hi + p->n_hi;
    double *pres = v + p->n_hi, *absn = pres + C, *keep = absn + C, *y = keep + C;
    int bad_codes = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < N; r++) {
        const int8_t *x = rf + r * R, *e = fs + r * F;
        for (int c = 0; c <= C; c++) codes[c] = 0;
        for (int i = 0; i < R; i++) {
            if (x[i] < 0) continue;
            const int64_t *t = p->code_terms + (Py_ssize_t)i * (C + 1);
            for (int c = 0; c <= C; c++) codes[c] += (x[i] + 1) * t[c];
        }
        if (!codes_ok(p, codes)) {
            bad_codes = 1;
            break;
        }
        double leak = 0.0;
        for (int c = 0; c < C; c++) keep[c] = 1.0;
        for (int f = 0; f < F; f++) {
            if (e[f] != 0) continue;
            const double *kf = p->keep + (Py_ssize_t)f * C;
            for (int c = 0; c < C; c++) keep[c] *= kf[c];
            leak += p->log_leak_off[f];
        }
        prior(p, codes, keep, lo, hi, tmp);
        /* present findings: those of the context-dependent causes only into lo, of the others
         * only into hi; the rest (mixed) over the joint states */
        int n_mixed = 0;
        for (int f = 0; f < F; f++) {
            if (e[f] != 1) continue;
            const double *row = p->p_obs + (Py_ssize_t)(F + f) * S;
            const unsigned char kind = p->obs_kind[F + f];
            if (kind == ROW_LO)
                for (int l = 0; l < p->n_lo; l++) lo[l] *= row[l];
            else if (kind == ROW_HI)
                for (int h = 0; h < p->n_hi; h++) hi[h] *= row[(Py_ssize_t)h * p->n_lo];
            else
                mixed[n_mixed++] = row;
        }
        double total = n_mixed ? joint_sums(p, lo, hi, mixed, n_mixed, pres, absn, J, y) : product_sums(p, lo, hi, pres, absn, y);
        int bad = !(total > 0.0);
        for (int c = 0; c < C; c++) {
            if (!in_range(pres[c]) || !in_range(absn[c])) bad = 1;
            prob[r * C + c] = total > 0.0 ? pres[c] / total : 0.0;
        }
        lev[r] = total > 0.0 ? log(total) + leak : -INFINITY;
        hard[r] = (uint8_t)bad;
    }
    Py_END_ALLOW_THREADS
    if (bad_codes) {
        PyErr_SetString(PyExc_ValueError, "batch: a risk-factor state is out of range");
        goto done;
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    free(work);
    free(codes);
    free((void *)mixed);
    PyBuffer_Release(&rf_b);
    PyBuffer_Release(&fs_b);
    PyBuffer_Release(&prob_b);
    PyBuffer_Release(&lev_b);
    PyBuffer_Release(&hard_b);
    return result;
}

/* yes_no_cells(cells) -> bytes or None
 * A yes/no column of Python objects as int8 states: True 1, False 0, None or a float NaN -1
 * (unknown). Any other cell returns None: the caller factorizes and validates the column.
 * cells: a list, or a 1-D C-contiguous numpy object array, read in place through its
 * __array_interface__ (its data are the PyObject pointers; the array is kept alive by the caller's
 * reference for the duration of the call, and the GIL is held). */
static int cell_state(PyObject *x, signed char *o) {
    if (x == Py_True) *o = 1;
    else if (x == Py_False) *o = 0;
    else if (x == Py_None || (x != NULL && PyFloat_CheckExact(x) && isnan(PyFloat_AS_DOUBLE(x)))) *o = -1;
    else return 0;
    return 1;
}

static PyObject *yes_no_cells(PyObject *self, PyObject *arg) {
    PyObject **items = NULL;
    Py_ssize_t n = 0;
    if (PyList_CheckExact(arg)) {
        items = ((PyListObject *)arg)->ob_item;
        n = PyList_GET_SIZE(arg);
    } else {
        PyObject *iface = PyObject_GetAttrString(arg, "__array_interface__");
        if (iface == NULL || !PyDict_Check(iface)) {
            Py_XDECREF(iface);
            PyErr_SetString(PyExc_TypeError, "yes_no_cells: expected a list or a numpy object array");
            return NULL;
        }
        PyObject *typestr = PyDict_GetItemString(iface, "typestr"), *shape = PyDict_GetItemString(iface, "shape");
        PyObject *strides = PyDict_GetItemString(iface, "strides"), *data = PyDict_GetItemString(iface, "data");
        int ok = typestr != NULL && PyUnicode_Check(typestr) && PyUnicode_CompareWithASCIIString(typestr, "|O") == 0
                 && shape != NULL && PyTuple_Check(shape) && PyTuple_GET_SIZE(shape) == 1
                 && (strides == NULL || strides == Py_None) && data != NULL && PyTuple_Check(data) && PyTuple_GET_SIZE(data) == 2;
        if (ok) {
            n = PyLong_AsSsize_t(PyTuple_GET_ITEM(shape, 0));
            items = (PyObject **)PyLong_AsVoidPtr(PyTuple_GET_ITEM(data, 0));
            ok = !PyErr_Occurred() && n >= 0 && (items != NULL || n == 0);
        }
        Py_DECREF(iface);
        if (!ok) {
            PyErr_Clear();
            Py_RETURN_NONE; /* not a plain 1-D contiguous object array: the caller factorizes */
        }
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, n);
    if (out == NULL) return NULL;
    signed char *o = (signed char *)PyBytes_AS_STRING(out);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!cell_state(items[i], o + i)) {
            Py_DECREF(out);
            Py_RETURN_NONE;
        }
    return out;
}

static PyMethodDef methods[] = {
    {"make_plan", make_plan, METH_VARARGS, "Bind a plan's tables (see twitchnet.engine.kernel.Plan)."},
    {"explain", explain, METH_VARARGS, "One case with its sequential explanation and counterfactuals."},
    {"batch", batch, METH_VARARGS, "Posterior probabilities for many rows."},
    {"yes_no_cells", yes_no_cells, METH_O, "A yes/no column (list or numpy object array) as int8 states, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernel", "twitchnet's compiled inner loops.", -1, methods};

PyMODINIT_FUNC PyInit__kernel(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddIntConstant(m, "MAXC", MAXC) < 0 || PyModule_AddIntConstant(m, "MAXF", MAXF) < 0 ||
        PyModule_AddObject(m, "TINY", PyFloat_FromDouble(TINY)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
