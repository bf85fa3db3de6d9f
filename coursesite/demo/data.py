"""The facts of the CIS6200 demo course, as plain data for ``manage.py seed_demo``.

The course's text comes verbatim from its former static home page, so the demo
site shows what students already know. People are invented. Papers live in
``coursesite.demo.readings`` and the schedule below names them by key.
"""

from __future__ import annotations

import datetime as dt

COURSE_SLUG = "cis6200-spring-2026"

COURSE: dict[str, str | bool | int] = {
    "late_days": 2,
    "code": "CIS6200",
    "title": "Deep Learning at Scale",
    "term": "Spring 2026",
    "institution": "University of Pennsylvania",
    "timezone": "America/New_York",
    "location": "Levine 307",
    "meeting_times": "Tuesday/Thursday 3:30-5:00 PM",
    "office_hours": "Thursday 5:00-6:00 PM (after class) or by appointment",
    "is_published": True,
    "min_presentations": 1,
    "max_presentations": 2,
    "overview": (
        "This graduate seminar explores the systems, algorithms, and engineering principles "
        "behind training large-scale deep learning models. We will examine how modern AI "
        "systems—from GPT-4 to Gemini to open-source alternatives—are designed, trained, "
        "and deployed at scale.\n"
        "\n"
        "The course combines theoretical foundations with practical implementation, covering "
        "distributed training systems, optimization techniques, model architectures, and the "
        "infrastructure that makes large-scale AI possible."
    ),
    "prerequisites": (
        "- **Required**: Graduate standing or instructor permission\n"
        "- **Strongly Recommended**:\n"
        "    - CIS 5200 (Machine Learning) or equivalent\n"
        "    - Familiarity with Python and PyTorch\n"
        "    - Basic understanding of neural networks\n"
        "    - Comfort with linear algebra and calculus"
    ),
}

#: (name, weight in percent, description), in the order of the grading table.
GRADE_COMPONENTS: tuple[tuple[str, int, str], ...] = (
    ("Paper Presentations", 25, "Lead discussion of 1-2 assigned papers"),
    ("Class Participation", 15, "Active engagement in discussions and polls"),
    ("Reading Responses", 20, "Weekly written responses to readings"),
    ("Assignments", 15, "2-3 implementation assignments"),
    ("Final Project", 25, "Research project with paper and presentation"),
)

#: (theme, its topics), in the order of "Major Course Themes".
THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Foundations of Scale",
        (
            "Why scale matters in deep learning",
            "Scaling laws and emergent capabilities",
            "Hardware landscape: GPUs, TPUs, and beyond",
        ),
    ),
    (
        "Distributed Training Systems",
        (
            "Data parallelism and model parallelism",
            "Pipeline parallelism and tensor parallelism",
            "Communication primitives and collective operations",
        ),
    ),
    (
        "Optimization at Scale",
        (
            "Large-batch training techniques",
            "Learning rate schedules and warmup",
            "Gradient compression and mixed precision",
        ),
    ),
    (
        "Model Architectures",
        (
            "Transformer architecture deep dive",
            "Mixture of experts",
            "Efficient attention mechanisms",
        ),
    ),
    (
        "Training Infrastructure",
        (
            "Checkpointing and fault tolerance",
            "Memory optimization techniques",
            "Profiling and debugging at scale",
        ),
    ),
    (
        "Post-Training and Deployment",
        (
            "Fine-tuning and RLHF",
            "Inference optimization",
            "Model compression and quantization",
        ),
    ),
)

#: (username, first name, last name, membership role). Emails are <username>@example.edu.
PEOPLE: tuple[tuple[str, str, str, str], ...] = (
    ("instructor", "Lyle", "Ungar", "instructor"),
    ("ta1", "Priya", "Raman", "ta"),
    ("ta2", "Mateo", "Alvarez", "ta"),
    ("student01", "Aisha", "Okafor", "student"),
    ("student02", "Benjamin", "Hartley", "student"),
    ("student03", "Wei", "Chen", "student"),
    ("student04", "Daniela", "Souza", "student"),
    ("student05", "Ethan", "Brooks", "student"),
    ("student06", "Fatima", "Al-Sayed", "student"),
    ("student07", "Gabriel", "Moreau", "student"),
    ("student08", "Hana", "Kobayashi", "student"),
    ("student09", "Ibrahim", "Diallo", "student"),
    ("student10", "Julia", "Novak", "student"),
    ("student11", "Kwame", "Mensah", "student"),
    ("student12", "Leila", "Haddad", "student"),
    ("student13", "Marcus", "Johnson", "student"),
    ("student14", "Nadia", "Petrova", "student"),
    ("student15", "Oscar", "Lindqvist", "student"),
    ("student16", "Parisa", "Tehrani", "student"),
    ("student17", "Rahul", "Mehta", "student"),
    ("student18", "Sofia", "Rossi", "student"),
    ("student19", "Tomás", "Herrera", "student"),
    ("student20", "Yuna", "Park", "student"),
)
EMAIL_DOMAIN = "example.edu"

# Class meets Tuesday and Thursday from the first day of classes; Penn's spring
# break week has no class.
FIRST_SESSION = dt.date(2026, 1, 15)
MEETING_WEEKDAYS = (1, 3)  # date.weekday(): Tuesday, Thursday
NO_CLASS_DATES = (dt.date(2026, 3, 10), dt.date(2026, 3, 12))
SESSION_START = dt.time(15, 30)
SESSION_END = dt.time(17, 0)

SessionRow = tuple[str, int | None, str | None, int, tuple[str, ...]]

#: One row per class meeting, in date order: (title, theme number or None,
#: paper students present or None, how many may present it, further reading).
SESSIONS: tuple[SessionRow, ...] = (
    ("Introduction: why scale matters in deep learning", 1, None, 0, ("sutton2019",)),
    ("Scaling laws", 1, "kaplan2020", 2, ("hestness2017",)),
    ("Compute-optimal training", 1, "hoffmann2022", 1, ()),
    ("Emergent capabilities", 1, "wei2022", 1, ("brown2020",)),
    ("Hardware landscape: GPUs, TPUs, and beyond", 1, "jouppi2017", 1, ("jouppi2023",)),
    ("Data parallelism and collective communication", 2, "li2020", 1, ("sergeev2018",)),
    ("Tensor (model) parallelism", 2, "shoeybi2019", 2, ()),
    ("Pipeline parallelism", 2, "huang2019", 1, ()),
    ("Combining data, tensor, and pipeline parallelism", 2, "narayanan2021", 1, ("rasley2020",)),
    ("Large-batch training and learning-rate warmup", 3, "goyal2017", 1, ("smith2018",)),
    ("Layer-wise adaptive optimizers and weight decay", 3, "you2020", 1, ("loshchilov2019",)),
    ("Mixed precision and gradient compression", 3, "micikevicius2018", 1, ("lin2018",)),
    ("The Transformer architecture, in depth", 4, "vaswani2017", 2, ()),
    ("Sparsely-gated mixture of experts", 4, "shazeer2017", 1, ("lepikhin2021",)),
    ("Scaling mixture-of-experts models", 4, "fedus2022", 1, ()),
    ("Efficient attention mechanisms", 4, "dao2022", 1, ()),
    ("Checkpointing, fault tolerance, and debugging at scale", 5, "jiang2024", 1, ("zhang2022",)),
    ("Activation memory and recomputation", 5, "chen2016", 1, ("korthikanti2023",)),
    ("Sharding optimizer state: ZeRO and FSDP", 5, "rajbhandari2020", 2, ("zhao2023",)),
    ("Parameter-efficient fine-tuning", 6, "hu2022", 1, ("dettmers2023",)),
    ("Reinforcement learning from human feedback", 6, "ouyang2022", 2, ("christiano2017",)),
    ("Direct preference optimization", 6, "rafailov2023", 1, ()),
    ("Serving large language models", 6, "kwon2023", 1, ()),
    ("Speculative decoding", 6, "leviathan2023", 1, ("chen2023",)),
    ("Quantization", 6, "frantar2023", 1, ("dettmers2022",)),
    ("Knowledge distillation", 6, "hinton2015", 1, ("sanh2019",)),
    ("Final project presentations I", None, None, 0, ()),
    ("Final project presentations II", None, None, 0, ()),
)

#: Markdown notes for the sessions that have no paper to present, by title.
SESSION_NOTES: dict[str, str] = {
    "Introduction: why scale matters in deep learning": (
        "Course overview and logistics, and how paper presentations, reading responses "
        "and the final project work. Sign-ups for paper presentations open after class."
    ),
    "Final project presentations I": (
        "Teams present their final projects: 12 minutes each plus 3 minutes of questions. "
        "The running order is posted a week before."
    ),
    "Final project presentations II": (
        "The remaining final project presentations, in the same format as the first day."
    ),
}

#: Resources by category; within a category they are listed in this order.
RESOURCES: dict[str, tuple[dict[str, str], ...]] = {
    "Compute": (
        {
            "title": "Google Colab",
            "url": "https://colab.research.google.com/",
            "description": "Hosted Jupyter notebooks with a free GPU tier: enough for the "
            "assignments and for prototyping a final project on a small model.",
        },
        {
            "title": "Kaggle Notebooks",
            "url": "https://www.kaggle.com/code",
            "description": "Another free notebook service with a weekly GPU quota; "
            "useful when a Colab session runs out.",
        },
    ),
    "Frameworks and libraries": (
        {
            "title": "PyTorch documentation",
            "url": "https://docs.pytorch.org/docs/stable/index.html",
            "description": "Reference for `torch`, `torch.distributed` and the profiler.",
        },
        {
            "title": "PyTorch Distributed overview",
            "url": "https://docs.pytorch.org/tutorials/beginner/dist_overview.html",
            "description": "A map of DDP, FSDP, tensor and pipeline parallelism in PyTorch, "
            "with links to a tutorial for each.",
        },
        {
            "title": "DeepSpeed",
            "url": "https://www.deepspeed.ai/",
            "description": "Microsoft's training library: ZeRO, offloading and pipeline "
            "parallelism (see the ZeRO and DeepSpeed papers).",
        },
        {
            "title": "Megatron-LM",
            "url": "https://github.com/NVIDIA/Megatron-LM",
            "description": "NVIDIA's reference code for tensor, pipeline and sequence "
            "parallelism, from the Megatron-LM papers.",
        },
        {
            "title": "Hugging Face Transformers",
            "url": "https://huggingface.co/docs/transformers/index",
            "description": "Pretrained models and training utilities; the quickest start "
            "for fine-tuning experiments.",
        },
        {
            "title": "vLLM",
            "url": "https://docs.vllm.ai/",
            "description": "An inference engine built on PagedAttention, for the serving "
            "and inference sessions.",
        },
    ),
    "Course infrastructure": (
        {
            "title": "arXiv: recent machine learning papers",
            "url": "https://arxiv.org/list/cs.LG/recent",
            "description": "Most readings are on arXiv. Cite the published version when "
            "there is one.",
        },
        {
            "title": "Weights & Biases documentation",
            "url": "https://docs.wandb.ai/",
            "description": "Experiment tracking for assignments and projects: log losses, "
            "throughput and GPU memory so runs can be compared.",
        },
    ),
    "Writing and presenting": (
        {
            "title": "How to Read a Paper (S. Keshav)",
            "url": "https://doi.org/10.1145/1273445.1273458",
            "description": "The three-pass method; a good routine for weekly reading "
            "responses and for preparing a presentation.",
        },
        {
            "title": "Overleaf guides",
            "url": "https://www.overleaf.com/learn",
            "description": "LaTeX help for the final project paper.",
        },
    ),
}

#: Announcements; ``published_at`` is local time in the course's time zone.
ANNOUNCEMENTS: tuple[dict[str, str | dt.datetime], ...] = (
    {
        "title": "Welcome to CIS6200",
        "published_at": dt.datetime(2026, 1, 12, 9, 0),
        "body": (
            "Welcome to **Deep Learning at Scale**! We meet Tuesdays and Thursdays, "
            "3:30-5:00 PM in Levine 307; the first class is **Thursday, January 15**.\n"
            "\n"
            "Before then, please read Rich Sutton's short essay *The Bitter Lesson*, "
            "listed on the Schedule for the first session."
        ),
    },
    {
        "title": "Paper presentation sign-ups are open",
        "published_at": dt.datetime(2026, 1, 15, 17, 15),
        "body": (
            "Sign up on the **Papers** page to present one or two papers. "
            "Each regular session has one paper to present, and a few of the longer papers "
            "take two presenters. Sign-ups are first come, first served; a full paper has a "
            "waitlist, and you move up automatically when a seat frees.\n"
            "\n"
            "Every student presents at least once during the term."
        ),
    },
    {
        "title": "Office hours moved this week",
        "published_at": dt.datetime(2026, 2, 9, 10, 0),
        "body": (
            "Office hours this Thursday, February 12, move to **Friday, February 13, "
            "2:00-3:00 PM**. Thursday office hours after class resume the week after."
        ),
    },
)

# Presentation sign-ups opened on the first day of class and stay open in the
# demo, so a visitor logged in as a student can try them.
SIGNUP_OPENS_AT = dt.datetime(2026, 1, 15, 17, 0)  # in the course's time zone
#: Presenters of the first presentable papers, in schedule order; a second
#: tuple is the waitlist of a full paper.
SIGNUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("student01", "student02"), ()),  # Kaplan et al., two seats
    (("student03",), ("student04", "student05")),  # Chinchilla: full, with a waitlist
    (("student06",), ()),
    (("student07",), ()),
    (("student08",), ()),
    (("student09", "student10"), ()),  # Megatron-LM, two seats
    (("student11",), ()),
    (("student01",), ()),  # student01's second presentation
)

# The gradebook. Components use the points of their items unless listed here.
GRADE_COMPONENT_RULES: dict[str, dict[str, int | str | bool]] = {
    "Class Participation": {"drop_lowest": 0, "weighting": "equal", "is_participation": True},
    "Reading Responses": {"drop_lowest": 2, "weighting": "points", "grace_minutes": 60},
    # Large LMSs' usual policy: 10% of the points per day late, never below half.
    "Assignments": {"grace_minutes": 15, "late_percent_per_day": 10, "late_floor_percent": 50},
}
#: What students hand in on the site, by component.
SUBMISSION_KINDS: dict[str, dict[str, bool]] = {
    "Reading Responses": {"accepts_text": True},
    "Assignments": {"accepts_url": True, "accepts_file": True},
    "Final Project": {"accepts_url": True, "accepts_file": True},
}
#: Demo hand-ins: a response for every graded reading response and a repository
#: link for every graded assignment; these students were late, by this much.
LATE_HAND_INS: dict[tuple[str, str], dt.timedelta] = {
    ("student04", "Reading Response 2"): dt.timedelta(hours=3),
    ("student11", "Reading Response 5"): dt.timedelta(hours=20),
    ("student04", "Assignment 1: Data-parallel training"): dt.timedelta(hours=30),
    ("student09", "Assignment 1: Data-parallel training"): dt.timedelta(hours=5),
    ("student17", "Assignment 2: Mixed precision and memory"): dt.timedelta(days=2, hours=4),
    ("student04", "Assignment 2: Mixed precision and memory"): dt.timedelta(hours=26),
}
RESPONSE_OPENINGS = (
    "The paper's central claim is that",
    "What struck me most is how",
    "I am not yet convinced that",
    "The key trick here is that",
)
RESPONSE_QUESTIONS = (
    "Would the result hold at a tenth of the compute?",
    "How sensitive is this to the choice of batch size?",
    "What would break first on a slower interconnect?",
    "Is the baseline in the main table tuned as carefully?",
)

#: Every item is due at this time on its day, in the course's time zone.
GRADE_ITEM_DUE_TIME = dt.time(23, 59)
# Where the demo stands: the week after spring break. Items up to then are
# graded; most are released, and the latest two are graded but not yet shown.
GRADED = "graded"
RELEASED = "released"
READING_RESPONSE_DUE = (  # Mondays from the second week of classes, none in spring break
    dt.date(2026, 1, 19),
    dt.date(2026, 1, 26),
    dt.date(2026, 2, 2),
    dt.date(2026, 2, 9),
    dt.date(2026, 2, 16),
    dt.date(2026, 2, 23),
    dt.date(2026, 3, 2),
    dt.date(2026, 3, 16),
    dt.date(2026, 3, 23),
    dt.date(2026, 3, 30),
    dt.date(2026, 4, 6),
    dt.date(2026, 4, 13),
)
GradeItemRow = tuple[str, int, dt.date | None, str]

#: (component, its items in order); an item is (title, points possible, due date
#: or None, and GRADED, RELEASED or "" for not graded yet).
GRADE_ITEMS: tuple[tuple[str, tuple[GradeItemRow, ...]], ...] = (
    (
        "Paper Presentations",
        (
            ("Presentation 1", 10, None, RELEASED),
            ("Presentation 2", 10, None, ""),
        ),
    ),
    (
        "Class Participation",
        (
            ("Participation: weeks 1-7", 10, dt.date(2026, 2, 27), RELEASED),
            ("Participation: weeks 8-14", 10, dt.date(2026, 4, 28), ""),
        ),
    ),
    (
        "Reading Responses",
        tuple(
            (f"Reading Response {n}", 5, due, RELEASED if n <= 7 else GRADED if n == 8 else "")
            for n, due in enumerate(READING_RESPONSE_DUE, start=1)
        ),
    ),
    (
        "Assignments",
        (
            ("Assignment 1: Data-parallel training", 20, dt.date(2026, 2, 6), RELEASED),
            ("Assignment 2: Mixed precision and memory", 20, dt.date(2026, 3, 6), GRADED),
            ("Assignment 3: Serving and quantization", 20, dt.date(2026, 4, 10), ""),
        ),
    ),
    (
        "Final Project",
        (
            ("Project proposal", 10, dt.date(2026, 2, 20), RELEASED),
            ("Project report", 60, dt.date(2026, 4, 30), ""),
            ("Project presentation", 30, dt.date(2026, 4, 28), ""),
        ),
    ),
)

#: The TA who grades each component.
GRADERS: dict[str, str] = {
    "Paper Presentations": "ta1",
    "Class Participation": "ta2",
    "Reading Responses": "ta1",
    "Assignments": "ta2",
    "Final Project": "ta2",
}
#: The smallest step of points; half points elsewhere.
SCORE_STEPS: dict[str, str] = {"Class Participation": "1", "Reading Responses": "1"}
#: Scores are drawn from a fixed seed, so every run writes the same numbers.
SCORE_SEED = 6200
#: Only talks given before spring break are graded so far.
PRESENTATIONS_GRADED_BEFORE = dt.date(2026, 3, 9)
#: Cells that break the pattern: "EX" is excused, "" stays empty (never turned in).
SCORE_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("student08", "Reading Response 3"): "EX",
    ("student15", "Reading Response 6"): "EX",
    ("student13", "Reading Response 4"): "",
    ("student19", "Reading Response 7"): "",
}
#: Feedback on assignments: (for 90% of the points or more, for less).
ASSIGNMENT_COMMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Assignment 1: Data-parallel training": (
        (
            "Clean implementation; the scaling plot needs axis labels.",
            "Correct all-reduce and a careful speedup analysis. Nice work.",
            "Solid DDP setup; say why the speedup flattens past four GPUs.",
        ),
        (
            "Gradients are averaged twice in the manual all-reduce; see the rubric.",
            "Runs, but the throughput numbers include the warmup steps.",
            "The report is missing the weak-scaling experiment.",
        ),
    ),
    "Assignment 2: Mixed precision and memory": (
        (
            "Loss scaling is right and the memory breakdown is very clear.",
            "Good use of activation checkpointing; the trade-off table is convincing.",
            "Nice profiling; label which run uses bf16 in the figure.",
        ),
        (
            "The loss scaler never backs off after an overflow; check the update step.",
            "Memory estimates leave out the optimizer state.",
            "The fp16 run diverges and the report does not say why.",
        ),
    ),
}

# In-class polls. The closed ones were asked in past sessions and answered by
# most of the class; the open one is in the last session, with a handful of
# answers so far and its counts shown live. Each poll is found again by its
# question, so its text is its key.
POLL_SEED = 6200
PollRow = dict[str, str | bool | int | tuple]

#: One poll per row, in the order they were asked: the session (by title), the
#: question, its kind, its choices with weights (for a single choice poll, how
#: often each is picked relative to the others; for a multiple choice poll, the
#: chance in percent that each is ticked) or, for a short-text poll, the answers
#: given; ``answers`` is how many students answered, ``state`` where the poll
#: stands now.
POLLS: tuple[PollRow, ...] = (
    {
        "session": "Scaling laws",
        "question": "Given ten times the compute, where should a compute-optimal run spend it?",
        "kind": "single",
        "choices": (
            ("Mostly on a bigger model", 6),
            ("Mostly on more training tokens", 3),
            ("Roughly evenly on both", 8),
            ("On more epochs over the same data", 1),
        ),
        "anonymous": False,
        "results": "after_close",
        "answers": 18,
        "state": "closed",
    },
    {
        "session": "Data parallelism and collective communication",
        "question": "Which collective operations does PyTorch DDP use? Choose all that apply.",
        "kind": "multiple",
        "choices": (
            ("all-reduce", 95),
            ("broadcast", 45),
            ("all-gather", 30),
            ("reduce-scatter", 25),
        ),
        "anonymous": False,
        "results": "after_close",
        "answers": 17,
        "state": "closed",
    },
    {
        "session": "Mixed precision and gradient compression",
        "question": "Halfway through the term: how is the pace of the course?",
        "kind": "single",
        "choices": (
            ("Too slow", 1),
            ("About right", 10),
            ("A bit fast", 6),
            ("Much too fast", 1),
        ),
        "anonymous": True,
        "results": "after_close",
        "answers": 19,
        "state": "closed",
    },
    {
        "session": "Efficient attention mechanisms",
        "question": "In a few words: what limits context length most in practice?",
        "kind": "text",
        "choices": (
            "Memory for the attention scores",
            "The KV cache at inference time",
            "Compute that grows with the square of the length",
            "Too little long-document training data",
            "Memory bandwidth rather than FLOPs",
            "Position encodings that do not extrapolate",
            "Activation memory during training",
            "Evaluating whether the model really uses the long context",
        ),
        "anonymous": False,
        "results": "after_close",
        "answers": 16,
        "state": "closed",
    },
    {
        "session": "Final project presentations II",
        "question": "Which technique from this course are you most likely to use next?",
        "kind": "single",
        "choices": (
            ("Sharded data parallelism (ZeRO or FSDP)", 4),
            ("Mixed precision training", 3),
            ("Parameter-efficient fine-tuning", 5),
            ("Quantization for serving", 3),
        ),
        "anonymous": False,
        "results": "live",
        "answers": 6,
        "state": "open",
    },
)
