"""Small MedMNIST-style .npz fixtures for NpzDatasetTest (numpy only).

Gray image i of a split (i counted across train, val, test in that order) has pixel
(y, x) = (i*7 + y*3 + x) % 256; RGB adds 50*c for channel c. Labels are i % K.
Run: python3 make_npz_fixtures.py  (writes next to this script)
"""
import os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
counts = {"train": 4, "val": 2, "test": 3}


def images(start, n, h, w, rgb):
    i = np.arange(start, start + n).reshape(n, 1, 1)
    y = np.arange(h).reshape(1, h, 1)
    x = np.arange(w).reshape(1, 1, w)
    g = (i * 7 + y * 3 + x) % 256
    if not rgb:
        return g.astype(np.uint8)
    return np.stack([(g + 50 * c) % 256 for c in range(3)], axis=-1).astype(np.uint8)


def arrays(h, w, rgb, k, label_shape):
    out, start = {}, 0
    for s, n in counts.items():
        out[s + "_images"] = images(start, n, h, w, rgb)
        lab = (np.arange(start, start + n) % k).astype(np.int64)
        out[s + "_labels"] = lab.reshape(n, 1) if label_shape == "n1" else lab.astype(np.uint8)
        start += n
    return out


# gray 28 px, stored entries, labels (N,1) int64, 3 classes
np.savez(os.path.join(here, "gray28.npz"), **arrays(28, 28, False, 3, "n1"))
# RGB 8x6, deflated entries, labels (N,) uint8, 4 classes
np.savez_compressed(os.path.join(here, "rgb.npz"), **arrays(8, 6, True, 4, "n"))
# multi-label: labels (N,14)
a = arrays(4, 4, False, 2, "n1")
for s, n in counts.items():
    a[s + "_labels"] = (np.arange(n * 14).reshape(n, 14) % 2).astype(np.uint8)
np.savez(os.path.join(here, "multilabel.npz"), **a)
# Fortran-order images
a = arrays(4, 5, False, 2, "n1")
a["train_images"] = np.asfortranarray(a["train_images"])
np.savez(os.path.join(here, "fortran.npz"), **a)
# float images
a = arrays(4, 4, False, 2, "n1")
a["train_images"] = a["train_images"].astype(np.float32)
np.savez(os.path.join(here, "float.npz"), **a)
