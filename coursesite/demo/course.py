"""The CIS6200 demo course itself: its text, themes, schedule, resources and announcements.

The course's text comes verbatim from its former static home page, so the demo
site shows what students already know. Papers live in ``coursesite.demo.readings``
and the schedule below names them by key.
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
