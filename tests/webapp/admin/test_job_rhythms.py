"""定时任务 says when each job runs in words, as 参数管理 does (cron_rhythm, local time)."""

import re

JOBS = [
    ("sweep", "定时巡检", "*/5 * * * *"),
    ("daily_digest", "每日待办汇总", "0 0 * * *"),
    ("odd", "不规则任务", "0 20 31 * *"),
]


def test_each_job_says_when_it_runs(app, client, admin, monkeypatch):
    monkeypatch.setitem(app.extensions, "alerts.list_jobs", lambda: JOBS)
    page = client.get("/admin/reminders/jobs").get_data(as_text=True)
    rhythms = re.findall(r'<span class="rhythm">([^<]+)</span>', page)
    assert rhythms == ["每 5 分钟", "每天 08:00"]  # the odd one shows its expression alone
    assert "0 20 31 * *" in page
