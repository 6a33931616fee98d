"""The key-task ledger (任务台账) and its supervision (督办): task lists, progress, overdue tasks, bulletins."""
