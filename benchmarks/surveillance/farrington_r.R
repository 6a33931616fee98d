# farringtonFlexible in R on the benchmark's series (the rows of series.csv), timed in this one process.
# Usage: Rscript farrington_r.R series.csv out_prefix
# Writes <out_prefix>_<control>_upper.csv and _alarm.csv (NaN where R has NA) and prints, per control,
# "<control> <elapsed seconds> <cpu seconds>".
suppressMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
y <- as.matrix(read.csv(args[1], header = FALSE))
n <- ncol(y)
rng <- (n - 103):n
dates <- seq(as.Date("2004-01-05"), by = "1 week", length.out = n)
controls <- list(
  original = list(range = rng, noPeriods = 1, b = 3, w = 3, weightsThreshold = 1, pastWeeksNotIncluded = 3,
                  pThresholdTrend = 0.05, thresholdMethod = "delta", alpha = 0.01),
  nbplugin = list(range = rng, noPeriods = 10, b = 5, w = 3, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
                  pThresholdTrend = 1, thresholdMethod = "nbPlugin", alpha = 0.01))
for (name in names(controls)) {
  start <- proc.time()
  upper <- matrix(NA_real_, nrow(y), length(rng))
  alarm <- matrix(NA_real_, nrow(y), length(rng))
  for (i in seq_len(nrow(y))) {
    s <- sts(observed = y[i, ], epoch = dates, freq = 52)
    r <- suppressWarnings(farringtonFlexible(s, control = controls[[name]]))
    upper[i, ] <- upperbound(r)
    alarm[i, ] <- alarms(r)
  }
  used <- proc.time() - start
  cat(name, used[["elapsed"]], used[["user.self"]] + used[["sys.self"]], "\n")
  write.table(upper, paste0(args[2], "_", name, "_upper.csv"), sep = ",", row.names = FALSE, col.names = FALSE,
              na = "NaN")
  write.table(alarm, paste0(args[2], "_", name, "_alarm.csv"), sep = ",", row.names = FALSE, col.names = FALSE,
              na = "NaN")
}
