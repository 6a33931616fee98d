"""The 39 tasks of 城区's 2023 reform task list (seed 003, 附件), transcribed; ``python -m`` writes the demo files.

Transcribed from the seed's text (an OCR of the printed table), in the printed wording, with these readings:
- Two-character names padded to three (``陈 静``) are written without the padding (陈静); several units or
  people in one cell are separated by 、.
- Groups: the table prints the group numerals 一–六 and their names in merged cells; 三's name is lost in the
  text and is taken from the plan's own heading (（三）理顺运行机制…). The merged cells stand beside the middle
  of their rows, which places task 4 (健全决策机制, the plan's 二.1) in group 二. Group 四 has three key tasks,
  named after the plan's headings 四.1–四.3.
- Tasks 9 and 10 share one printed cell; they are two tasks with their own leaders, persons and deadlines.
- 责任人 of tasks 6 and 7 read “秦薛琴 芹” in the text: the heads of 区中医院 (秦晓) and 市眼科医院 (薛琴芹), as
  elsewhere in the table. 责任人 of task 5 is garbled (“陈静 田潘小霞 锦焦 郝水平”) and kept as printed, split at
  its spaces. Task 26 is cut off at a page break in the source and kept as printed.
"""

from __future__ import annotations

from pathlib import Path

from healthplan.store.tasks import Task, TaskList
from healthplan.tasks import export
from healthplan.tasks.deadline import parse_deadline
from healthplan.tasks.names import split_names

PLAN_CODE = "chengqu-reform-2023"
TITLE = "晋城市城区2023年医药卫生体制改革重点工作清单"
STAGE_HEADER = "2023年阶段目标任务"
FOLDER = Path(__file__).parent
FILES = (FOLDER / "003_tasks.xlsx", FOLDER / "003_tasks.csv")

# (group numeral, group name, {first task: 重点工作任务 from that task on})
GROUPS = (
    ("一", "健全完善高效推进机制", {1: "健全完善高效推进机制"}),
    ("二", "完善制度规范", {4: "完善制度规范"}),
    ("三", "理顺运行机制", {8: "理顺运行机制"}),
    ("四", "加强服务能力建设", {13: "健全完善分级诊疗制度", 14: "提升区级医疗服务能力和水平",
                           23: "夯实基层医疗卫生机构服务基础"}),
    ("五", "加强信息化建设", {34: "加强信息化建设"}),
    ("六", "推进医防融合", {38: "推进医防融合"}),
)
GOING = "持续推进"
AUG = "2023年8月底"
DEC = "2023年12月底"
PHASED = "2023年8月底完成制度建设，9月1日起持续推进执行"

# 序号, 2023年阶段目标任务, 责任领导, 责任单位, 责任人, 完成时限, 备注
TASKS: tuple[tuple[int, str, str, str, str, str, str], ...] = (
    (1, "严格落实政府对医改工作的领导、保障、管理、监督责任。区政府常务会议每年至少要专题研究1次医改工作。",
     "史晋雷", "区医改办", "张丰亮", GOING, ""),
    (2, "区医管委（医改领导小组）代表政府落实办医责任，区医管委（医改领导小组）办公室具体承办医改日常事务。"
        "区管委会（医改领导小组）至少每半年召开1次领导小组会议，及时学习贯彻国家关于医改工作最新要求，研究决定重大事项。"
        "医改领导小组成员单位之间健全完善沟通协调机制。", "张丰亮", "区卫体局", "陈静", GOING, ""),
    (3, "区卫体局负责医疗卫生行业监管，强化行业发展规划的制定和政策法规、标准规范的执行和监督指导职责。",
     "张丰亮", "区卫体局", "陈静", GOING, ""),
    (4, "健全决策机制。制定医管委章程、医改领导小组工作制度、议事规则等，建立健全综合监管制度。",
     "张丰亮", "区医改办", "陈静", AUG, ""),
    (5, "进一步明确区医管委（医改领导小组）各成员单位工作职责，建立健全专业化、精细化管理制度，推动人事薪酬制度改革、"
        "公立医院绩效考核制度、总会计师制度等落地见效。", "张丰亮", "区医改办、各相关成员单位",
     "陈静、田潘小霞、锦焦、郝水平", PHASED, "区卫体局、区委编办、区财政局、区人社局、区审计局"),
    (6, "制定医院章程，把党建工作写入医院章程，落实党委领导下的院长负责制，健全完善医院决策机制和医疗质量安全、"
        "人力资源管理、财务管理、绩效考核、人才培养培训、科研管理、后勤管理、信息管理制度，初步建立现代医院管理制度框架。",
     "张丰亮", "区医疗集团、区中医院、市眼科医院", "李华兵、秦晓、薛琴芹", PHASED, ""),
    (7, "深入开展清廉医院示范单位创建活动。", "张丰亮", "区卫体局、区医疗集团、区中医院、市眼科医院",
     "董文潇、李华兵、秦晓、薛琴芹", GOING, ""),
    (8, "西上庄、南街2个街道办事处社区卫生服务中心按照“六统一”管理模式，全面纳入医疗集团管理。",
     "李华兵", "区医疗集团、区中医院、市眼科医院", "张云霞", AUG, ""),
    (9, "将市眼科医院和钟家庄街道社区卫生服务中心进行剥离。", "张丰亮", "区卫体局、各相关成员单位", "陈喜", AUG, ""),
    (10, "钟家庄街道办事处社区卫生服务中心按照“六统一”管理模式，全面纳入医疗集团管理。",
     "李华兵", "区医疗集团", "张云霞", "2023年10月底", ""),
    (11, "逐步探索将“社会办医”回收转化为“政府办医”的有效途径和办法，并纳入区医疗集团管理。",
     "张丰亮", "区卫体局、各相关成员单位", "陈静", GOING, ""),
    (12, "医疗集团根据“六统一”管理规范，实行扁平化管理，制定医疗集团内部运行方案。",
     "李华兵", "区医疗集团", "张云霞", "2023年9月底", ""),
    (13, "完善分级诊疗平台和机构设置，畅通双向转诊机制，制定集团内部区、镇（街道）两级疾病诊疗目录，完善医疗集团内部"
         "双向转诊和区域向外转诊管理规范，出台内部和区域向外转诊管理办法。", "李华兵", "区医疗集团", "李京丽、张云霞",
     GOING, ""),
    (14, "完成胸痛中心建设，创建骨科、肿瘤科两个市级重点专科，开设感染性疾病科。", "李华兵", "市二院", "李京丽", DEC, ""),
    (15, "以创建三级医院为目标，加强与三级医院、专科联盟、远程医疗的对接工作，加强医疗服务质量、人才队伍、医德医风、"
         "医院文化内涵等在内的建设，推进软硬件“双提升”。", "李华兵", "市二院", "李京丽", GOING, ""),
    (16, "强化专科共建、外派培训等措施，建立长期坐诊和学科共建制度，加强重点专科建设，发展优势学科，培养学科带头人。",
     "李华兵", "市二院", "李京丽", GOING, ""),
    (17, "完成治未病科的建设，打造1—2个以中医药为主的特色专科。", "秦晓", "区中医院", "郭永江", DEC, ""),
    (18, "加快区中医院迁址新建项目进度，2023年力争完成项目前期手续。", "秦晓", "区中医院", "王建军", DEC, ""),
    (19, "推进中医药文化进社区、进机关、进校园。", "秦晓", "区中医院", "郭永江", GOING, ""),
    (20, "引进全飞秒激光治疗近视技术。", "薛琴芹", "市眼科医院", "郭蕙", DEC, ""),
    (21, "整合区疾控中心和区卫生健康综合行政执法队职责，重新组建区疾控中心，完成机构改革任务。",
     "张丰亮", "区卫体局", "陈喜", DEC, ""),
    (22, "加强业务培训，加快妇幼卫生健康人才队伍建设，建立具有较高专业素质的妇幼健康服务队伍，提升医疗服务水平。",
     "李平", "区妇幼计生中心", "冯晓芳", GOING, ""),
    (23, "推动优质医疗资源下沉。制定优质医疗资源下沉方案，明确下沉要素、服务时限、服务方式等，完善激励和制约相结合的方式。",
     "李华兵、秦晓", "市二院、区中医院", "李京丽、郭永江", "2023年7月底", ""),
    (24, "完善建立与基层医疗卫生机构的人才培训和交流制度，制定人才培养计划和培训方案。每年对基层医疗卫生机构考核，"
         "可选拔部分优秀医务人员到市二院工作，实行“同工同酬”，为优秀人才提供上升空间。", "李华兵", "区医疗集团", "张云霞",
     DEC, ""),
    (25, "面向基层医疗卫生机构医师和乡村医生开展中医药知识技能培训，用3年左右时间实现人员培训全覆盖，"
         "培训一批“能中会西”的基层医生。", "秦晓", "区中医院", "郭永江", GOING, ""),
    (26, "按照“一中心一特色”“一中心一品牌”", "李华兵", "区医疗集团", "张云霞", GOING, ""),
    (27, "提升签约家庭医生服务水平，推动区级医生加入基层家庭医生签约团队，定期下沉到基层开展巡诊服务，为签约患者提供"
         "疾病诊治和合理用药、健康体检、慢病随访、健康咨询、健康教育等服务，满足群众多元化的健康需求。赋予家庭医生"
         "一定比例的专家号、医院床位等资源，对经家庭医生团队转诊的患者落实“两免三优先”（免挂号费、免健康管理费、"
         "优先接诊、优先检查、优先住院），为签约居民提供连续、一体化的健康管理。", "张丰亮", "区卫体局", "刘红霞",
     GOING, ""),
    (28, "完善综合激励政策，加强全科医生队伍建设，开展家庭医生签约提质增效试点工作。", "张丰亮", "区卫体局", "刘红霞",
     GOING, ""),
    (29, "完善“护士到家”行动方案，进一步明确服务内容、服务价格等事项，把“护士到家”业务拓展到各基层医疗卫生机构。",
     "李华兵", "区医疗集团", "张云霞", AUG, ""),
    (30, "探索组建专业家庭医生签约团队。", "张丰亮", "区卫体局", "刘红霞", GOING, ""),
    (31, "持续实施改善医疗服务行动计划，不断转变服务理念，改变工作模式，拓展服务载体，丰富服务内涵，为更多的患者提供"
         "方便、优质的医疗服务。", "李华兵", "区医疗集团", "李京丽、张云霞", GOING, ""),
    (32, "推进基层医疗卫生机构标准化建设，深入开展“优质服务基层行”活动，加快推进建设短板，进一步提升基层医疗卫生机构"
         "建设，补齐基层医疗卫生机构建设短板，进一步提升基层医疗卫生机构公共卫生服务能力。", "张丰亮", "区卫体局",
     "刘红霞", GOING, ""),
    (33, "加强对基层医疗卫生机构的业务指导，同时探索完善对钟家庄街道办事处社区卫生服务中心以及东街、西街和开发区"
         "三家非政府举办的社区中心的补偿政策和基层非基本药物补助办法。", "李华兵", "区医疗集团", "张云霞", GOING, ""),
    (34, "进一步完善全民健康信息平台功能，实现数据信息的综合应用和管理，实现上与省、市信息平台对接，下与基层医疗卫生"
         "机构联通。", "张丰亮", "区卫体局", "陈建军", DEC, ""),
    (35, "制定集团信息化建设总体推进实施方案（包括对基层医疗机构信息化设施设备的升级改造等），明确项目实施步骤、"
         "项目投资预算等，推进信息化建设。", "李华兵", "区医疗集团", "张云霞", AUG, ""),
    (36, "加强基层医疗卫生机构信息升级改造建设，完成信息综合管理和应用的对接，全区形成“基层检查、上级诊断”有效模式。",
     "李华兵", "区医疗集团", "张云霞", DEC, ""),
    (37, "加快建立远程会诊平台，至少完成与1—2家三级医院实现远程会诊。", "李华兵、秦晓", "市二院、区中医院",
     "张云霞、郭永江", DEC, ""),
    (38, "制定医防融合实施方案，明确各机构在疾病预防、健康宣传、慢病管理、妇女儿童保健等方面的责任，制定任务清单和"
         "责任清单，推进职责、管理、队伍、服务、信息等方面有效融合，推动以治病为中心向以健康为中心转变。",
     "张丰亮", "区卫体局", "刘红霞", GOING, ""),
    (39, "提高防治病和健康管理能力。进一步提高基层医防融合管理的能力，以家庭医生签约服务为抓手，以全科医生为主体，"
         "将预防、诊断、治疗、康复、管理整合到签约服务包中，为签约居民提供主动、连续的服务。加强重大慢性病健康管理，"
         "以高血压和糖尿病等慢性病健康管理为切入点，推进形成“病前主动防，病后科学管，跟踪服务不间断”的一体化健康管理"
         "服务体系。", "张丰亮", "区卫体局", "刘红霞", GOING, ""),
)


def task_list() -> TaskList:
    """The transcription as the ledger holds it."""
    tasks = []
    for number, stage_goal, leaders, units, persons, deadline, note in TASKS:
        group_code, group_name, titles = next(g for g in reversed(GROUPS) if number >= min(g[2]))
        title = titles[max(first for first in titles if first <= number)]
        schedule = parse_deadline(deadline)
        tasks.append(Task(
            code=str(number), title=title, units=split_names(units), deadline_text=deadline, seq=number,
            group_code=group_code, group_name=group_name, stage_goal=stage_goal, leaders=split_names(leaders),
            persons=split_names(persons), deadline=schedule.deadline, continuing=schedule.continuing,
            continuing_from=schedule.continuing_from,
            recurrence=schedule.recurrence.value if schedule.recurrence else None, note=note,
            stages=schedule.stages))
    return TaskList(PLAN_CODE, tuple(tasks), TITLE, STAGE_HEADER)


def write_files() -> None:
    """(Re)write ``003_tasks.xlsx`` and ``003_tasks.csv`` next to this module."""
    ledger = task_list()
    for path in FILES:
        export.write(ledger, path)


if __name__ == "__main__":
    write_files()
