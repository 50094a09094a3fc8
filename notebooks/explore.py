# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring the published delivery plan dataset
#
# Reads the release in `processed/` (or the folder named by the
# `PROCESSED_DIR` environment variable) and shows what a quarter's plan holds:
# actions per priority and per organisation, how sure the pipeline was of each
# timescale, a timeline of the actions' dates, and what changed since the last
# release. Run `python -m pipeline run` first. The tests run this notebook
# from top to bottom, so it stays working.

# %%
import json
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from pipeline.publish.progress import progress_over_time
from pipeline.schema import DELIVERY_STATUSES

release = Path(os.environ.get("PROCESSED_DIR", "../processed"))
package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
actions = pd.read_parquet(release / "actions.parquet")
organisations = pd.read_parquet(release / "organisations.parquet")
links = pd.read_parquet(release / "action_organisations.parquet")
changes = pd.read_csv(release / "changes.csv", dtype=str, keep_default_na=False)
sources = ", ".join(source["path"] for source in package["sources"])
print(f"release {package['id']}: {len(actions)} actions from {sources} ({package.get('period')})")

# %% [markdown]
# ## Actions per priority

# %%
per_priority = actions.groupby(["priority_number", "priority_title"]).size()
ax = per_priority.droplevel("priority_title").plot.barh(figsize=(8, 3), color="#4c72b0")
ax.invert_yaxis()
ax.set_xlabel("actions")
ax.set_ylabel("priority")
ax.set_title("Actions per priority")
plt.show()
per_priority.rename("actions").reset_index()

# %% [markdown]
# ## Actions per organisation
#
# Counting every role an organisation plays in an action (lead, partner,
# officer's organisation); the top fifteen.

# %%
names = organisations.set_index("org_id").short_name
per_organisation = (
    links.drop_duplicates(["action_id", "org_id"]).groupby("org_id").size().sort_values().tail(15)
)
ax = per_organisation.rename(index=names).plot.barh(figsize=(8, 5), color="#55a868")
ax.set_xlabel("actions")
ax.set_title("Organisations named in the most actions")
plt.show()

# %% [markdown]
# ## Status and confidence
#
# How each timescale was read: `high` by the house rules, `low` a guess,
# `none` not understood or missing (every `low` and `none` is in
# `review.csv`).

# %%
mix = pd.crosstab(actions.status, actions.confidence)
ax = mix.plot.bar(stacked=True, figsize=(7, 3.5))
ax.set_ylabel("actions")
ax.set_title("Status by confidence of the timescale reading")
plt.show()
mix

# %% [markdown]
# ## Timeline
#
# One line per action with both dates, a dot for a deadline with no start,
# coloured by priority. Open-ended actions (no end) are left out.

# %%
dated = actions.assign(
    start=pd.to_datetime(actions.start_date), end=pd.to_datetime(actions.end_date)
).dropna(subset=["end"])
dated = dated.sort_values(["priority_number", "end"]).reset_index(drop=True)
colours = plt.get_cmap("tab10")
fig, ax = plt.subplots(figsize=(10, 7))
for position, row in dated.iterrows():
    colour = colours(int(row.priority_number) - 1)
    if pd.notna(row.start):
        ax.plot([row.start, row.end], [position, position], color=colour, linewidth=2)
    else:
        ax.plot(row.end, position, "o", color=colour, markersize=3)
for number, title in per_priority.index:
    ax.plot([], [], color=colours(int(number) - 1), label=f"{number}: {title[:40]}")
ax.set_yticks([])
ax.invert_yaxis()  # priority 1 at the top
ax.set_xlabel("date")
ax.set_title(f"{len(dated)} actions with an end date")
ax.legend(fontsize=7, loc="lower right")
plt.show()

# %% [markdown]
# ## What changed since the last release
#
# The same as `changes.md`: counts by kind of change, then the changed fields.

# %%
print((release / "changes.md").read_text(encoding="utf-8").split("## Called out")[0])
changes.drop_duplicates(["action_id", "change"]).change.value_counts()

# %%
changes[changes.change.isin(["changed", "reworded"])].head(30)

# %% [markdown]
# ## Delivery progress over the periods published
#
# The same figures as `progress.md`, from the published tables: each live
# action's delivery status (`action_progress`) per priority, and the statuses
# at the end of every period, recomputed from `action_history` by the
# pipeline's own rules.

# %%
progress = pd.read_parquet(release / "action_progress.parquet")
history = pd.read_parquet(release / "action_history.parquet")
statuses = list(DELIVERY_STATUSES)
pd.crosstab(progress.priority_number, progress.delivery_status).reindex(
    columns=statuses, fill_value=0
)

# %%
over_time = progress_over_time(history)
per_period = pd.crosstab(
    [over_time.period_order, over_time.period], over_time.delivery_status
).reindex(columns=statuses, fill_value=0)
ax = per_period.droplevel("period_order").plot.bar(stacked=True, figsize=(8, 4))
ax.set_ylabel("actions")
ax.set_title("Delivery status at the end of each period")
plt.show()
per_period
