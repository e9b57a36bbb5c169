// Native tests of the softmax-regression operations of sm4j_run (SM4J_LINEAR_*, SM4J_CROSS_ENTROPY,
// SM4J_LINEAR_GRADIENT):
// against a plain double loop, at 1, 2 and 3 threads, on shapes that take every way the GEMM is
// split (one block; blocks of rows with the bias and softmax fused; blocks of columns followed by
// the row driver), with strides wider than the rows. Every output row has guard elements past its
// end, and the whole output allocation is checked after each call: nothing outside the rows may
// change. Run plain and under ASan+UBSan by ctest (see CMakeLists.txt).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "check.hpp"
#include "softmax4j.h"

namespace {

using sm4j_test::check;
using sm4j_test::g_failures;

constexpr double kGuard = -12345.5;

struct Shape {
    int64_t rows, d, k;
};

using sm4j_test::operand;

template <class T>
void linear(int32_t op, const T *x, int64_t ldx, const T *w, int64_t ldw, const T *b, T *y, int64_t ldy,
            int64_t rows, int64_t d, int64_t k, double a) {
    sm4j_call c = sm4j_test::call(op, rows, d, k, a);
    c.in[0] = operand(x, ldx);
    c.in[1] = operand(w, ldw);
    c.in[2] = operand(b, 0);
    c.out[0] = operand(y, ldy);
    sm4j_run(&c);
}

// The objective's three calls, as the Java head makes them: the log-probabilities into z, the loss
// (and G in place of z if dw is not null), then dW = G^T x and db. Returns the loss.
double cross_entropy(const std::vector<double> &x, const std::vector<double> &w, const std::vector<double> &b,
                     const std::vector<int32_t> &labels, double scale, std::vector<double> &z, double *dw, double *db,
                     int64_t rows, int64_t d, int64_t k) {
    linear<double>(SM4J_LINEAR_LOG_SOFTMAX, x.data(), d, w.data(), d, b.data(), z.data(), k, rows, d, k, 1.0);
    double loss = 0;
    sm4j_call c = sm4j_test::call(SM4J_CROSS_ENTROPY | (dw != nullptr ? SM4J_GRADIENT : 0), rows, 0, k, scale, 0.0);
    c.in[0] = {const_cast<int32_t *>(labels.data()), 1, SM4J_I32};
    c.out[0] = operand(z.data(), k);
    c.out[1] = operand(&loss, 1);
    sm4j_run(&c);
    if (dw != nullptr) {
        sm4j_call g = sm4j_test::call(SM4J_LINEAR_GRADIENT, rows, d, k, 1.0);
        g.in[0] = operand(z.data(), k);
        g.in[1] = operand(x.data(), d);
        g.out[0] = operand(dw, d);
        g.out[1] = operand(db, 0);
        sm4j_run(&g);
    }
    return loss;
}

// The expected row: scores in double from the T inputs, then the operation in double.
std::vector<double> expected_row(int32_t op, const std::vector<double> &z, double a) {
    if (op == SM4J_LINEAR_SCORES) return z;
    double m = *std::max_element(z.begin(), z.end());
    double s = 0;
    for (double v : z) s += std::exp(a * (v - m));
    std::vector<double> out(z.size());
    for (size_t j = 0; j < z.size(); ++j) {
        out[j] = op == SM4J_LINEAR_SOFTMAX ? std::exp(a * (z[j] - m)) / s : a * (z[j] - m) - std::log(s);
    }
    return out;
}

template <class T>
void linear_case(const Shape &s, int32_t op, bool bias, int threads, std::mt19937_64 &rng) {
    const int64_t ldx = s.d + 3, ldw = s.d + 1, ldy = s.k + 5;
    std::normal_distribution<double> n01(0, 1);
    std::vector<T> x(size_t(s.rows * ldx + 1)), w(size_t(s.k * ldw + 1)), b(size_t(s.k));
    for (auto &v : x) v = T(n01(rng));
    for (auto &v : w) v = T(n01(rng) * 0.1);
    for (auto &v : b) v = T(n01(rng));
    std::vector<T> y(size_t(s.rows * ldy + 7), T(kGuard));
    const double a = 0.8;
    sm4j_set_num_threads(threads);
    linear<T>(op, x.data(), ldx, w.data(), ldw, bias ? b.data() : nullptr, y.data(), ldy, s.rows, s.d, s.k, a);
    sm4j_set_num_threads(0);

    const double u = sizeof(T) == 4 ? 0x1p-24 : 0x1p-53;
    const std::string what = std::string(sizeof(T) == 4 ? "f32" : "f64") + " op " + std::to_string(op) + " " +
                             std::to_string(s.rows) + "x" + std::to_string(s.d) + "->" + std::to_string(s.k) +
                             (bias ? " bias" : "") + " threads " + std::to_string(threads);
    double worst = 0;
    bool guards = true;
    for (int64_t r = 0; r < s.rows; ++r) {
        std::vector<double> z(size_t(s.k));
        double mag = 0;  // sum of |x_i w_ji| + |b_j|: the scale of a score's rounding error
        for (int64_t j = 0; j < s.k; ++j) {
            double acc = bias ? double(b[size_t(j)]) : 0.0, m = bias ? std::fabs(double(b[size_t(j)])) : 0.0;
            for (int64_t i = 0; i < s.d; ++i) {
                double t = double(x[size_t(r * ldx + i)]) * double(w[size_t(j * ldw + i)]);
                acc += t;
                m += std::fabs(t);
            }
            z[size_t(j)] = acc;
            mag = std::max(mag, m);
        }
        std::vector<double> want = expected_row(op, z, a);
        // A score errs by at most (d + 2) u mag; softmax and log-softmax carry that times a (and
        // twice, through the maximum and the sum), plus a few u of their own.
        const double tol = 4 * a * double(s.d + 2) * u * mag + 64 * u;
        for (int64_t j = 0; j < s.k; ++j) {
            double got = double(y[size_t(r * ldy + j)]);
            // Softmax relative to the probability (absolute below u); the logs and scores absolute.
            double err = std::fabs(got - want[size_t(j)]) / (op == SM4J_LINEAR_SOFTMAX ? std::max(want[size_t(j)], u) : 1.0);
            worst = std::max(worst, err / tol);
        }
        for (int64_t j = s.k; j < ldy; ++j) guards &= y[size_t(r * ldy + j)] == T(kGuard);
    }
    for (size_t i = size_t(s.rows * ldy); i < y.size(); ++i) guards &= y[i] == T(kGuard);
    check(worst <= 1, what + ": within tolerance (worst " + std::to_string(worst) + " of it)");
    check(guards, what + ": nothing outside the output rows written");
}

// The mean cross-entropy and its gradient against finite differences of the loss itself.
void cross_entropy_case(std::mt19937_64 &rng, int threads) {
    const int64_t rows = 300, d = 7, k = 5;
    std::normal_distribution<double> n01(0, 1);
    const size_t nx = size_t(rows * d), nw = size_t(k * d), nb = size_t(k), nz = size_t(rows * k);
    std::vector<double> x(nx), w(nw), b(nb), z(nz);
    std::vector<int32_t> labels(static_cast<size_t>(rows));
    for (auto &v : x) v = n01(rng);
    for (auto &v : w) v = 0.3 * n01(rng);
    for (auto &v : b) v = n01(rng);
    for (int64_t r = 0; r < rows; ++r) labels[size_t(r)] = int32_t(rng() % uint64_t(k));
    std::vector<double> dw(nw), db(nb);
    sm4j_set_num_threads(threads);
    const double scale = 1.0 / double(rows);
    double loss = cross_entropy(x, w, b, labels, scale, z, dw.data(), db.data(), rows, d, k);
    // The loss by a plain loop.
    double want = 0;
    for (int64_t r = 0; r < rows; ++r) {
        std::vector<double> s(nb);
        for (int64_t j = 0; j < k; ++j) {
            s[size_t(j)] = b[size_t(j)];
            for (int64_t i = 0; i < d; ++i) s[size_t(j)] += x[size_t(r * d + i)] * w[size_t(j * d + i)];
        }
        double m = *std::max_element(s.begin(), s.end()), t = 0;
        for (double v : s) t += std::exp(v - m);
        want += m + std::log(t) - s[size_t(labels[size_t(r)])];
    }
    want *= scale;
    check(std::fabs(loss - want) <= 1e-12 * std::fabs(want), "cross-entropy equals the plain loop, threads " +
                                                               std::to_string(threads));
    auto loss_at = [&](std::vector<double> &ww, std::vector<double> &bb) {
        return cross_entropy(x, ww, bb, labels, scale, z, nullptr, nullptr, rows, d, k);
    };
    // The largest gap between a central difference of the loss in one parameter and its gradient.
    double worst = 0;
    const double h = 1e-5;
    auto compare = [&](std::vector<double> &param, size_t i, double grad) {
        double keep = param[i];
        param[i] = keep + h;
        double up = loss_at(w, b);
        param[i] = keep - h;
        double down = loss_at(w, b);
        param[i] = keep;
        worst = std::max(worst, std::fabs((up - down) / (2 * h) - grad));
    };
    for (size_t i = 0; i < w.size(); i += 3) compare(w, i, dw[i]);
    for (size_t j = 0; j < b.size(); ++j) compare(b, j, db[j]);
    sm4j_set_num_threads(0);
    // Central differences err by O(h^2) ~ 1e-10 here, plus rounding ~ 1e-16 / h.
    check(worst <= 1e-8, "cross-entropy gradient matches central differences (worst " + std::to_string(worst) +
                             "), threads " + std::to_string(threads));
}

}  // namespace

int main() {
    std::mt19937_64 rng(7);
    // One block (small); blocks of rows (rows >= k, >= 2^21 multiply-adds per thread at 2
    // threads); blocks of columns (rows < k, k not a multiple of 16); no features (d = 0).
    const Shape shapes[] = {{3, 5, 4}, {700, 600, 40}, {6, 700, 1001}, {1, 2100, 2003}, {9, 0, 7}};
    for (const Shape &s : shapes)
        for (int32_t op : {int32_t(SM4J_LINEAR_SOFTMAX), int32_t(SM4J_LINEAR_LOG_SOFTMAX), int32_t(SM4J_LINEAR_SCORES)})
            for (int threads : {1, 2, 3})
                for (bool bias : {true, false}) {
                    linear_case<float>(s, op, bias, threads, rng);
                    linear_case<double>(s, op, bias, threads, rng);
                }
    for (int threads : {1, 2}) cross_entropy_case(rng, threads);
    return sm4j_test::summary();
}
