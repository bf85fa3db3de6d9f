"""The demo course's home page shows every fact of the course's original page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# Each line of the original static page, as a visitor reads it.
SEED_PAGE_LINES = [
    "CIS6200: Deep Learning at Scale",
    "Spring 2026 | University of Pennsylvania",
    "Instructor: Lyle Ungar",
    "Course Overview",
    "This graduate seminar explores the systems, algorithms, and engineering principles "
    "behind training large-scale deep learning models. We will examine how modern AI "
    "systems—from GPT-4 to Gemini to open-source alternatives—are designed, trained, "
    "and deployed at scale.",
    "The course combines theoretical foundations with practical implementation, covering "
    "distributed training systems, optimization techniques, model architectures, and the "
    "infrastructure that makes large-scale AI possible.",
    "Prerequisites",
    "Required: Graduate standing or instructor permission",
    "Strongly Recommended:",
    "CIS 5200 (Machine Learning) or equivalent",
    "Familiarity with Python and PyTorch",
    "Basic understanding of neural networks",
    "Comfort with linear algebra and calculus",
    "Grading",
    "Component Weight Description",
    "Paper Presentations 25% Lead discussion of 1-2 assigned papers",
    "Class Participation 15% Active engagement in discussions and polls",
    "Reading Responses 20% Weekly written responses to readings",
    "Assignments 15% 2-3 implementation assignments",
    "Final Project 25% Research project with paper and presentation",
    "Major Course Themes",
    "Foundations of Scale",
    "Why scale matters in deep learning",
    "Scaling laws and emergent capabilities",
    "Hardware landscape: GPUs, TPUs, and beyond",
    "Distributed Training Systems",
    "Data parallelism and model parallelism",
    "Pipeline parallelism and tensor parallelism",
    "Communication primitives and collective operations",
    "Optimization at Scale",
    "Large-batch training techniques",
    "Learning rate schedules and warmup",
    "Gradient compression and mixed precision",
    "Model Architectures",
    "Transformer architecture deep dive",
    "Mixture of experts",
    "Efficient attention mechanisms",
    "Training Infrastructure",
    "Checkpointing and fault tolerance",
    "Memory optimization techniques",
    "Profiling and debugging at scale",
    "Post-Training and Deployment",
    "Fine-tuning and RLHF",
    "Inference optimization",
    "Model compression and quantization",
    "Course Logistics",
    "Time: Tuesday/Thursday 3:30-5:00 PM",
    "Location: Levine 307",
    "Office Hours: Thursday 5:00-6:00 PM (after class) or by appointment",
    "See the Schedule for weekly topics and readings, and Resources for course "
    "infrastructure and materials.",
]


def visible_text(html: str) -> str:
    main = html[html.index('<main id="main"') : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"\s+", " ", unescape(text)).replace(" :", ":")


def test_every_line_of_the_seed_page_is_on_the_demo_home(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    html = client.get("/courses/cis6200-spring-2026/").content.decode()
    text = visible_text(html)
    missing = [line for line in SEED_PAGE_LINES if line not in text]
    assert missing == []
    # The themes are numbered 1-6 and the recommended prerequisites nest under their heading.
    assert re.search(r"<ol class=\"themes\">\s*<li><strong>Foundations of Scale", html)
    assert re.search(r"Strongly Recommended</strong>:\s*<ul>\s*<li>CIS 5200", html)
