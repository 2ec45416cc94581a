#!/usr/bin/python3
"""Expected metric values from scikit-learn for MetricsTest (Debian: apt install python3-sklearn).

Run from this folder with Debian's Python: /usr/bin/python3 make_metrics_fixtures.py  -> metrics_cases.json
Probabilities are multiples of 0.1 that sum to 1, so scores tie often (sklearn's tie handling matters).
"""
import json
import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, cohen_kappa_score, confusion_matrix,
                             precision_recall_fscore_support, roc_auc_score, roc_curve)


def case(name, k, n, seed, skew=None, never_predict=None):
    rng = np.random.default_rng(seed)
    truth = rng.choice(k, size=n, p=skew)
    probs = np.zeros((n, k))
    for i in range(n):
        conc = np.ones(k)
        conc[truth[i]] += 2.0  # informative but imperfect
        if never_predict is not None:
            conc[never_predict] = 0.05
        tenths = rng.multinomial(10, rng.dirichlet(conc))
        probs[i] = tenths / 10.0
    pred = np.argmax(probs, axis=1)  # numpy: first index on ties, like Predictor.argmax
    labels = list(range(k))
    cm = confusion_matrix(truth, pred, labels=labels)
    p, r, f, s = precision_recall_fscore_support(truth, pred, labels=labels, zero_division=0)
    tn = cm.sum() - cm.sum(0) - cm.sum(1) + np.diag(cm)
    fp = cm.sum(0) - np.diag(cm)
    spec = np.where(tn + fp > 0, tn / np.maximum(tn + fp, 1), 0.0)
    per_auc = []
    for c in labels:
        y = (truth == c).astype(int)
        per_auc.append(float(roc_auc_score(y, probs[:, c])) if 0 < y.sum() < n else None)
    defined = [a for a in per_auc if a is not None]
    out = {
        "name": name, "classes": k, "truth": truth.tolist(), "probs": probs.round(1).tolist(),
        "accuracy": accuracy_score(truth, pred),
        "balanced_accuracy": balanced_accuracy_score(truth, pred),
        "kappa": cohen_kappa_score(truth, pred),
        "confusion": cm.tolist(),
        "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
        "specificity": spec.tolist(),
        "macro_precision": float(p.mean()), "macro_recall": float(r.mean()), "macro_f1": float(f.mean()),
        "per_class_auc": per_auc,
        "macro_auc_defined": float(np.mean(defined)),
    }
    if k == 2:
        out["sklearn_macro_auc"] = float(roc_auc_score(truth, probs[:, 1]))
    elif all(a is not None for a in per_auc):
        out["sklearn_macro_auc"] = float(roc_auc_score(truth, probs, multi_class="ovr", average="macro"))
    fpr, tpr, _ = roc_curve((truth == 0).astype(int), probs[:, 0], drop_intermediate=False)
    out["roc_class0_fpr"], out["roc_class0_tpr"] = fpr.tolist(), tpr.tolist()
    return out


cases = [
    case("three_classes", 3, 60, 1),
    case("binary", 2, 40, 2),
    case("four_classes_skewed", 4, 120, 3, skew=[0.55, 0.25, 0.15, 0.05]),
    case("class_never_predicted", 3, 50, 4, never_predict=2),
]
with open("metrics_cases.json", "w") as fh:
    json.dump({"sklearn_version": sklearn.__version__, "cases": cases}, fh, indent=1)
print("wrote", len(cases), "cases with scikit-learn", sklearn.__version__)
