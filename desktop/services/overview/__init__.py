"""全部单位一览: every unit's figures for one period, side by side, with tree totals."""
