"""`flask bench …`: the benchmark's commands (the generator loads only when it runs)."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from bench.sizes import Sizes


@click.group("bench")
def bench_cli():
    """Benchmark data (`flask bench seed`); the timings are `make bench`."""


@bench_cli.command("seed")
@click.option("--units", default=Sizes.units, show_default=True, help="单位数")
@click.option("--cadres", default=Sizes.cadres, show_default=True, help="干部数")
@click.option("--infos", default=Sizes.infos, show_default=True, help="负面信息条数")
@click.option("--warnings", default=Sizes.warnings, show_default=True, help="预警事项数")
@click.option("--talks", default=Sizes.talks, show_default=True, help="谈话记录数")
@with_appcontext
def seed_command(units: int, cadres: int, infos: int, warnings: int, talks: int):
    """Fill an empty database with a province's benchmark data (fixed seed, bulk inserts)."""
    from bench.seed import PASSWORD, RealDataPresent, seed

    sizes = Sizes(units, cadres, infos, warnings, talks)
    started = time.perf_counter()
    with click.progressbar(length=sizes.total_rows(), label="写入基准数据") as progress:
        try:
            seeded = seed(sizes, progress.update)
        except RealDataPresent as exc:
            raise click.ClickException(str(exc)) from exc
    made = "，".join(f"{table} {n:,}" for table, n in seeded.counts.items())
    click.echo(f"已写入（{time.perf_counter() - started:.0f} 秒）：{made}")
    click.echo(
        f"账号：{seeded.province_user}（全省）、{seeded.district_user}（区县），密码 {PASSWORD}"
    )
