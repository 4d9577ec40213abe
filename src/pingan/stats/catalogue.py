"""The catalogue of measures: each figure the branch reports, defined once — its code, names, definition, unit,
yearly target, the direction that is good, and the module series (``<module>.figures.SERIES``) it is computed
from. A count or an amount sums its series; a rate divides two sums; a mean divides a sum of minutes by a
count; ``units`` counts the units (villages) with at least one record; ``level`` asks the module for a state."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from types import ModuleType

from pingan.antifraud import figures as antifraud
from pingan.cases import figures as cases
from pingan.grid import figures as grid
from pingan.mediation import figures as mediation
from pingan.onewindow import figures as onewindow
from pingan.rental import figures as rental

# The modules whose figures the dashboard counts, by name.
FIGURES: dict[str, ModuleType] = {"antifraud": antifraud, "mediation": mediation, "cases": cases, "grid": grid,
                                  "rental": rental, "onewindow": onewindow}


class Kind(enum.StrEnum):
    COUNT = "count"
    AMOUNT = "amount"
    RATE = "rate"
    MEAN = "mean"
    UNITS = "units"
    LEVEL = "level"


class Good(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    NEITHER = "neither"


class Level(enum.StrEnum):
    """The finest org unit the measure's records carry: what the map colours."""

    STATION = "station"
    COMMUNITY = "community"
    GRID = "grid"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    name_en: str
    definition: str
    unit: str
    kind: Kind
    good: Good
    series: tuple[str, ...]
    per: tuple[str, ...] = ()
    target: float | None = None
    level: Level = Level.STATION
    state: str | None = None  # for a ``level`` measure: the module's figures function giving today's state

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def function(self) -> str:
        """Where the figure comes from: the module function and its series."""
        if self.kind is Kind.LEVEL:
            return f"pingan.{self.module}.figures.{self.state}(db)"
        return f"pingan.{self.module}.figures.daily_counts: {', '.join(self.series + self.per)}"

    @property
    def codes(self) -> tuple[str, ...]:
        return self.series + self.per


def _m(code, label, name_en, definition, unit, kind, good, series=None, per=(), target=None,
       level=Level.STATION, state=None) -> Measure:
    return Measure(code, label, name_en, definition, unit, Kind(kind), Good(good),
                   tuple(series) if series else (code,), tuple(per), target, level, state)


MEASURES: tuple[Measure, ...] = (
    _m("cases.fraud_cases", "电诈案件发案数", "Telecom-fraud cases",
       "按报案时间统计的电信网络诈骗受害报案数（有损失的；止付全额拦截的计入预警止付）", "起", "count", "down"),
    _m("cases.fraud_loss", "电诈案件损失金额", "Telecom-fraud losses", "上述报案登记的被骗金额之和", "元",
       "amount", "down"),
    _m("cases.high_loss", "高损案件数", "High-loss fraud cases", "损失金额100万元及以上的电诈报案数", "起",
       "count", "down"),
    _m("cases.counter_remittance", "柜面汇款被骗案件", "Counter-remittance fraud cases",
       "被骗款项经银行柜面汇出的电诈报案数（目标为零）", "起", "count", "down", target=0),
    _m("antifraud.counter_fraud", "柜面筛查漏拦截", "Counter screenings missed",
       "事后报案确认为诈骗、但柜面筛查未拦截的汇款笔数", "笔", "count", "down", target=0),
    _m("cases.homicide_clearance", "命案破案率", "Homicide clearance", "期内发生并立案的命案中已破案的比例",
       "%", "rate", "up", ("cases.homicide_solved",), ("cases.homicide_filed",), target=1),
    _m("cases.two_robberies_clearance", "两抢破案率", "Robbery and snatching clearance",
       "期内发生并立案的抢劫、抢夺案件中已破案的比例", "%", "rate", "up", ("cases.two_robberies_solved",),
       ("cases.two_robberies_filed",), target=1),
    _m("cases.clearance", "现行案件破案率", "Clearance of current cases", "期内发生并立案的案件中已破案的比例",
       "%", "rate", "up", ("cases.all_solved",), ("cases.all_filed",)),
    _m("cases.theft_clearance", "盗窃案件破案率", "Theft clearance", "期内发生并立案的盗窃案件中已破案的比例",
       "%", "rate", "up", ("cases.theft_solved",), ("cases.theft_filed",)),
    _m("cases.fraud_clearance", "电诈案件破案率", "Telecom-fraud clearance",
       "期内发生并立案的电诈案件中已破案的比例", "%", "rate", "up", ("cases.telecom_fraud_solved",),
       ("cases.telecom_fraud_filed",)),
    _m("cases.homicide_fugitives", "命案逃犯抓获率", "Homicide fugitives caught",
       "期内抓获的命案在逃人员数 ÷（期初在逃的命案逃犯数 + 期内登记的命案在逃人员数）", "%", "rate", "up",
       ("cases.homicide_fugitives_caught",), ("cases.homicide_fugitives_pursued",), target=1),
    _m("cases.dispute_calls", "矛盾纠纷警情", "Dispute calls", "类别为矛盾纠纷的110警情数", "起", "count", "down"),
    _m("cases.calls", "110警情总数", "Police calls", "接报的110警情总数", "起", "count", "neither"),
    _m("grid.collection", "信息采集", "Information collected", "经民警核实的网格信息采集条数（按核实日）", "条",
       "count", "up", target=grid.county_targets()["grid.collection"], level=Level.GRID),
    _m("grid.patrol", "联动巡逻", "Joint patrols", "经核实的警网联动巡逻次数（按计划日）", "次", "count", "up",
       target=grid.county_targets()["grid.patrol"], level=Level.GRID),
    _m("grid.publicity", "宣防活动", "Publicity events", "经核实的安全宣防活动场次（按举办日）", "场", "count", "up",
       target=grid.county_targets()["grid.publicity"], level=Level.GRID),
    _m("onewindow.villages_online", "可网上申请的村", "Villages able to apply online",
       "有在服务、可代办网上申请事项的村级代办点的村数（当前状态，无同比）", "个", "level", "up", target=111,
       state="villages_online"),
    _m("onewindow.villages_applied", "村级代办申请村数", "Villages applying through their agent",
       "期内有村级代办（网上）申请的村（社区）数", "个", "units", "up", ("onewindow.village_applications",),
       level=Level.COMMUNITY),
    _m("onewindow.online_services", "省级App可办高频事项", "Services on the provincial app",
       "服务目录中可网上（浙里办）办理的事项数（当前状态，无同比）", "项", "level", "up",
       target=11, state="online_services"),
    _m("antifraud.screenings", "柜面及线上筛查笔数", "Remittances screened", "银行提交筛查的汇款笔数", "笔", "count",
       "neither"),
    _m("antifraud.holds", "预警止付数", "Holds", "筛查决定止付并推送民警的预警数（按预警时间）", "起", "count", "up"),
    _m("antifraud.dissuasions", "成功劝阻数", "Dissuasions", "处置结果为成功劝阻的预警数（按办结时间）", "起",
       "count", "up"),
    _m("antifraud.money_protected", "保护群众资金", "Money protected", "成功劝阻的预警登记的避免损失金额之和",
       "元", "amount", "up"),
    _m("antifraud.response_time", "预警平均响应时间", "Alert response time",
       "预警推送至值班民警签收的平均分钟数（按预警时间）", "分钟", "mean", "down", ("antifraud.response_minutes",),
       ("antifraud.responses",)),
    _m("mediation.disputes", "受理矛盾纠纷", "Disputes taken in", "调解室受理的矛盾纠纷数（按受理时间）", "起",
       "count", "down", level=Level.COMMUNITY),
    _m("mediation.settlement_rate", "调解成功率", "Settlement rate", "期内受理的纠纷中已调解成功的比例", "%",
       "rate", "up", ("mediation.settled",), ("mediation.disputes",), level=Level.COMMUNITY),
    _m("mediation.same_day_rate", "当日调解率", "Same-day mediation rate",
       "期内受理的纠纷中在当日时限内开始首次调解的比例", "%", "rate", "up", ("mediation.same_day",),
       ("mediation.disputes",), level=Level.COMMUNITY),
    _m("rental.on_time_rate", "房东按时报送率", "Rental reports on time",
       "房东入住、退租报送中在3个工作日内完成的比例（按报送日）", "%", "rate", "up",
       ("rental.move_in_on_time", "rental.move_out_on_time"), ("rental.move_in_reports", "rental.move_out_reports"),
       level=Level.GRID),
    _m("onewindow.on_time_rate", "法定时限内办结率", "Items done on time",
       "期内申请的已办结事项中在法定时限内办结的比例", "%", "rate", "up", ("onewindow.items_on_time",),
       ("onewindow.items_done",)),
    _m("onewindow.one_visit_rate", "最多跑一次率", "One-visit rate", "期内申请中群众只跑一次的比例", "%", "rate",
       "up", ("onewindow.one_visit",), ("onewindow.visited",)),
    _m("onewindow.satisfaction", "办事满意率", "Satisfaction", "期内好差评中4星及以上的比例", "%", "rate", "up",
       ("onewindow.satisfied",), ("onewindow.ratings",)),
)
BY_CODE = {m.code: m for m in MEASURES}


def series_codes() -> list[str]:
    """Every module series the daily counts keep (a stock is counted for the window asked instead)."""
    return [code for module in FIGURES.values() for code, series in module.SERIES.items() if not series.stock]


def is_stock(code: str) -> bool:
    """Whether a series counts what stood in a window (fugitives pursued) rather than what happened per day."""
    return module_of(code).SERIES[code].stock


def module_of(series: str) -> ModuleType:
    return FIGURES[series.split(".", 1)[0]]
