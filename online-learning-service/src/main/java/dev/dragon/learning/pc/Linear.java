package dev.dragon.learning.pc;

/**
 * Dense float kernels for the PC layer, written as row-wise axpy loops (contiguous, so the JIT vectorises them).
 * Every matrix is row-major; shapes are in the method docs.
 */
final class Linear {

    private Linear() {
    }

    /** {@code out [n,m] = a [n,k] · b [k,m]} (out is overwritten). */
    static void matmul(float[] a, int n, int k, float[] b, int m, float[] out) {
        java.util.Arrays.fill(out, 0, n * m, 0f);
        for (int r = 0; r < n; r++) {
            int o = r * m;
            for (int j = 0; j < k; j++) {
                float s = a[r * k + j];
                if (s == 0f) {
                    continue;
                }
                int bj = j * m;
                for (int c = 0; c < m; c++) {
                    out[o + c] += s * b[bj + c];
                }
            }
        }
    }

    /** {@code b [m,k]} transposed into a new {@code [k,m]}. */
    static float[] transpose(float[] b, int m, int k) {
        float[] t = new float[k * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                t[j * m + i] = b[i * k + j];
            }
        }
        return t;
    }

    /** {@code w [m,k] += scale · Σ_r e[r,:]ᵀ ⊗ x[r,:]} with {@code e [n,m]}, {@code x [n,k]} (a sum of outer products). */
    static void addOuter(float[] w, int m, int k, float[] e, float[] x, int n, float scale) {
        for (int r = 0; r < n; r++) {
            int xr = r * k;
            for (int i = 0; i < m; i++) {
                float s = scale * e[r * m + i];
                if (s == 0f) {
                    continue;
                }
                int wi = i * k;
                for (int c = 0; c < k; c++) {
                    w[wi + c] += s * x[xr + c];
                }
            }
        }
    }

    /** Scales each of the {@code n} rows of {@code v [n,width]} down to L2 norm at most {@code maxNorm}; returns how many were clipped. */
    static int clipRows(float[] v, int n, int width, double maxNorm) {
        int clipped = 0;
        for (int r = 0; r < n; r++) {
            double sq = 0;
            for (int c = 0; c < width; c++) {
                float x = v[r * width + c];
                sq += x * x;
            }
            double norm = Math.sqrt(sq);
            if (norm > maxNorm) {
                float s = (float) (maxNorm / norm);
                for (int c = 0; c < width; c++) {
                    v[r * width + c] *= s;
                }
                clipped++;
            }
        }
        return clipped;
    }

    /** Scales all of {@code v} down to Frobenius norm at most {@code maxNorm}; returns the factor applied (1 = untouched). */
    static double clipNorm(float[] v, double maxNorm) {
        double norm = Math.sqrt(sumSquares(v));
        if (norm <= maxNorm) {
            return 1;
        }
        float s = (float) (maxNorm / norm);
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return s;
    }

    static double sumSquares(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return s;
    }

    static double distanceSquared(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }

    /** {@code out = tanh(z)} element-wise. */
    static void tanh(float[] z, float[] out, int length) {
        for (int i = 0; i < length; i++) {
            out[i] = (float) Math.tanh(z[i]);
        }
    }
}
