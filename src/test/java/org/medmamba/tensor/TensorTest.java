package org.medmamba.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorTest {
    private static Tensor iota(int... shape) {
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = i;
        return Tensor.of(d, shape);
    }

    @Test
    void viewsShareStorageAndIndexCorrectly() {
        Tensor t = iota(2, 3, 4);
        Tensor p = t.permute(2, 0, 1);
        assertSame(t.storage(), p.storage());
        assertEquals(t.get(1, 2, 3), p.get(3, 1, 2));
        Tensor f = t.flip(2);
        assertSame(t.storage(), f.storage());
        assertEquals(t.get(1, 0, 0), f.get(1, 0, 3));
        Tensor s = t.slice(2, 1, 4, 2);
        assertArrayEquals(new int[]{2, 3, 2}, s.shape());
        assertEquals(t.get(1, 2, 3), s.get(1, 2, 1));
        assertFalse(p.isContiguous());
        assertTrue(t.reshape(6, 4).isDense());
        assertSame(t.storage(), t.reshape(6, -1).storage());
    }

    @Test
    void contiguousCopiesStridedLayoutsInRowMajorOrder() {
        Tensor t = iota(2, 3, 4);
        Tensor c = t.permute(0, 2, 1).contiguous();
        assertTrue(c.isDense());
        for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 3; k++)
            assertEquals(t.get(i, k, j), c.get(i, j, k));
        Tensor fl = t.flip(0, 1).contiguous();
        assertEquals(t.get(0, 0, 2), fl.get(1, 2, 2));
        Tensor strided = t.slice(1, 0, 3, 2).flip(2).contiguous();
        assertArrayEquals(new float[]{3, 2, 1, 0, 11, 10, 9, 8, 15, 14, 13, 12, 23, 22, 21, 20}, strided.data(), 0f);
    }

    @Test
    void channelsLastRoundTripIsCheap() {
        Tensor nchw = iota(2, 3, 5, 7);
        Tensor nhwc = nchw.permute(0, 2, 3, 1);      // a view, no copy
        assertSame(nchw.storage(), nhwc.storage());
        assertEquals(nchw.get(1, 2, 4, 6), nhwc.get(1, 4, 6, 2));
    }

    @Test
    void broadcastAndReduce() {
        assertArrayEquals(new int[]{2, 3, 4}, Shape.broadcast(new int[]{3, 1}, new int[]{2, 1, 4}));
        assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(new int[]{3}, new int[]{4}));
        Tensor t = iota(2, 3);
        assertArrayEquals(new float[]{3, 5, 7}, TensorOps.sumAxes(t, new int[]{0}).data(), 0f);
        assertArrayEquals(new float[]{3, 12}, TensorOps.sumAxes(t, new int[]{1}).data(), 0f);
        assertArrayEquals(new float[]{15}, TensorOps.sumTo(t, new int[]{1, 1}).data(), 0f);
    }

    @Test
    void badShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> iota(2, 3).reshape(4, -1));
        assertThrows(IllegalArgumentException.class, () -> iota(2, 3).slice(1, 2, 5, 1));
    }

    @Test
    void transposedCopiesMatchElementwiseIndexing() {
        // permutations whose stride-1 axis is not last take the tiled path; odd sizes cross tile edges
        int[][] shapes = {{2, 33, 35}, {3, 7, 17, 5}, {1, 97, 20}};
        int[][][] perms = {{{0, 2, 1}, {2, 1, 0}}, {{0, 3, 1, 2}, {0, 2, 3, 1}, {3, 2, 1, 0}}, {{0, 2, 1}}};
        for (int s = 0; s < shapes.length; s++) {
            Tensor t = iota(shapes[s]);
            for (int[] p : perms[s]) {
                Tensor v = t.permute(p), c = v.contiguous();
                int[] shape = v.shape();
                int[] idx = new int[shape.length];
                for (int e = 0; e < c.size(); e++) {
                    assertEquals(v.get(idx), c.storage()[e], "perm " + java.util.Arrays.toString(p) + " element " + e);
                    for (int ax = shape.length - 1; ax >= 0; ax--) { if (++idx[ax] < shape[ax]) break; idx[ax] = 0; }
                }
            }
        }
    }
}
