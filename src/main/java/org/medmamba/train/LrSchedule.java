package org.medmamba.train;

/**
 * Learning rate per optimizer step: linear warm-up from lr/warmup to lr over the warm-up steps,
 * then cosine annealing to minLr at the last step (timm's CosineLRScheduler with warm-up, per step).
 */
public record LrSchedule(double lr, double minLr, long warmupSteps, long totalSteps) {
    public double at(long step) {
        if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
        long span = Math.max(1, totalSteps - warmupSteps);
        double t = Math.min(1.0, (double) (step - warmupSteps) / span);
        return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * t));
    }
}
