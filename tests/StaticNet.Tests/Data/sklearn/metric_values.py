"""The expected values of MetricTests, computed once with scikit-learn (Debian's python3-sklearn, 1.2.1).

Run with /usr/bin/python3 tests/StaticNet.Tests/Data/sklearn/metric_values.py; it prints each value as
MetricTests writes it. The inputs are the literals of MetricTests, repeated here.

Keras' thresholded ROC AUC (keras.metrics.AUC(num_thresholds, curve="ROC", summation_method="interpolation"))
is not in scikit-learn and TensorFlow is not installable here, so it is computed by the algorithm Keras documents:
thresholds [0 - 1e-7, 1/(n-1), ..., (n-2)/(n-1), 1 + 1e-7] in float32, a score counting as positive above a
threshold, TPR and FPR at each, and the trapezoid rule between consecutive thresholds.
"""
import numpy as np
from sklearn import metrics

# Binary: one output (probabilities), labels, weights.
p = np.array([0.91, 0.12, 0.55, 0.47, 0.81, 0.33, 0.62, 0.05, 0.74, 0.41, 0.29, 0.68], dtype=np.float32)
y = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0])
w = np.array([1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 0.25, 1.0, 2.0, 0.75, 1.25, 1.0], dtype=np.float32)
decided = (p > 0.5).astype(int)

# Four classes: scores (rows need not sum to one for accuracies and counts), class labels.
scores = np.array([
    [0.10, 0.60, 0.20, 0.10],
    [0.70, 0.10, 0.15, 0.05],
    [0.25, 0.30, 0.40, 0.05],
    [0.05, 0.15, 0.20, 0.60],
    [0.30, 0.35, 0.05, 0.29],
    [0.50, 0.20, 0.20, 0.10],
    [0.15, 0.10, 0.70, 0.05],
    [0.20, 0.25, 0.15, 0.40],
    [0.45, 0.05, 0.35, 0.15],
    [0.10, 0.20, 0.30, 0.40],
], dtype=np.float32)
labels = np.array([1, 0, 1, 3, 0, 0, 2, 2, 2, 3])
cw = np.array([1.0, 0.5, 2.0, 1.0, 1.5, 1.0, 0.75, 2.5, 1.0, 0.25], dtype=np.float32)
argmax = scores.argmax(axis=1)

# Regression: two outputs.
ry = np.array([[1.0, -2.0], [0.5, 0.0], [2.5, 1.5], [-1.0, 3.0], [0.0, -0.5], [1.5, 2.0], [3.0, 0.5], [-0.5, 1.0]], dtype=np.float32)
rp = np.array([[1.2, -1.5], [0.1, 0.4], [2.0, 1.0], [-0.4, 2.2], [0.3, -1.1], [1.1, 2.6], [2.4, 0.9], [0.2, 0.7]], dtype=np.float32)
rw = np.array([1.0, 2.0, 0.5, 1.0, 3.0, 1.0, 0.5, 1.5], dtype=np.float32)


def keras_roc_auc(score, label, weight, n):
    thresholds = np.array([0 - 1e-7] + [(i + 1) * 1.0 / (n - 1) for i in range(n - 2)] + [1 + 1e-7], dtype=np.float32)
    above = score[None, :] > thresholds[:, None]
    positive = label[None, :] == 1
    tp = ((above & positive) * weight).sum(axis=1, dtype=np.float64)
    fp = ((above & ~positive) * weight).sum(axis=1, dtype=np.float64)
    fn = ((~above & positive) * weight).sum(axis=1, dtype=np.float64)
    tn = ((~above & ~positive) * weight).sum(axis=1, dtype=np.float64)
    tpr = np.divide(tp, tp + fn, out=np.zeros_like(tp), where=(tp + fn) > 0)
    fpr = np.divide(fp, fp + tn, out=np.zeros_like(fp), where=(fp + tn) > 0)
    return float(np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2))


values = {
    "binary_accuracy": metrics.accuracy_score(y, decided),
    "binary_accuracy_weighted": metrics.accuracy_score(y, decided, sample_weight=w),
    "precision": metrics.precision_score(y, decided),
    "precision_weighted": metrics.precision_score(y, decided, sample_weight=w),
    "recall": metrics.recall_score(y, decided),
    "f1": metrics.f1_score(y, decided),
    "f1_weighted": metrics.f1_score(y, decided, sample_weight=w),
    "auc": metrics.roc_auc_score(y, p),
    "auc_weighted": metrics.roc_auc_score(y, p, sample_weight=w),
    "keras_auc_200": keras_roc_auc(p, y, np.ones_like(w), 200),
    "keras_auc_7_weighted": keras_roc_auc(p, y, w, 7),
    "categorical_accuracy": metrics.accuracy_score(labels, argmax),
    "categorical_accuracy_weighted": metrics.accuracy_score(labels, argmax, sample_weight=cw),
    "top_2": metrics.top_k_accuracy_score(labels, scores, k=2, labels=range(4)),
    "top_2_weighted": metrics.top_k_accuracy_score(labels, scores, k=2, labels=range(4), sample_weight=cw),
    "macro_precision": metrics.precision_score(labels, argmax, average="macro", zero_division=0),
    "macro_recall": metrics.recall_score(labels, argmax, average="macro", zero_division=0),
    "macro_f1": metrics.f1_score(labels, argmax, average="macro", zero_division=0),
    "macro_f1_weighted": metrics.f1_score(labels, argmax, average="macro", zero_division=0, sample_weight=cw),
    "micro_precision": metrics.precision_score(labels, argmax, average="micro"),
    "micro_f1": metrics.f1_score(labels, argmax, average="micro"),
    "pooled_auc": metrics.roc_auc_score(np.eye(4)[labels].ravel(), scores.ravel()),
    "mse": metrics.mean_squared_error(ry, rp),
    "mse_weighted": metrics.mean_squared_error(ry, rp, sample_weight=rw),
    "mae": metrics.mean_absolute_error(ry, rp),
    "rmse": float(np.sqrt(metrics.mean_squared_error(ry, rp))),
    "r2": metrics.r2_score(ry, rp),
    "r2_weighted": metrics.r2_score(ry, rp, sample_weight=rw),
}
for name, value in values.items():
    print(f"{name} = {float(value)!r}")
