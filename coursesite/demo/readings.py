"""The papers of the CIS6200 demo course, keyed by a short citation key.

The schedule in ``coursesite.demo.course`` refers to papers by these keys, so a paper
can move between sessions without copying its citation. Authors follow the
paper's own order; after four names a long list ends in "et al.". Links go to
the arXiv abstract page, or to the publisher's page when there is no preprint.
"""

from __future__ import annotations

PAPERS: dict[str, dict[str, str | int]] = {
    # Foundations of scale
    "sutton2019": {
        "title": "The Bitter Lesson",
        "authors": "Rich Sutton",
        "venue": "Incomplete Ideas (essay)",
        "year": 2019,
        "url": "http://www.incompleteideas.net/IncIdeas/BitterLesson.html",
    },
    "kaplan2020": {
        "title": "Scaling Laws for Neural Language Models",
        "authors": "Jared Kaplan, Sam McCandlish, Tom Henighan, Tom B. Brown, et al.",
        "venue": "arXiv preprint",
        "year": 2020,
        "url": "https://arxiv.org/abs/2001.08361",
    },
    "hestness2017": {
        "title": "Deep Learning Scaling is Predictable, Empirically",
        "authors": "Joel Hestness, Sharan Narang, Newsha Ardalani, Gregory Diamos, et al.",
        "venue": "arXiv preprint",
        "year": 2017,
        "url": "https://arxiv.org/abs/1712.00409",
    },
    "hoffmann2022": {
        "title": "Training Compute-Optimal Large Language Models",
        "authors": "Jordan Hoffmann, Sebastian Borgeaud, Arthur Mensch, Elena Buchatskaya, et al.",
        "venue": "arXiv preprint",
        "year": 2022,
        "url": "https://arxiv.org/abs/2203.15556",
    },
    "wei2022": {
        "title": "Emergent Abilities of Large Language Models",
        "authors": "Jason Wei, Yi Tay, Rishi Bommasani, Colin Raffel, et al.",
        "venue": "Transactions on Machine Learning Research (TMLR)",
        "year": 2022,
        "url": "https://arxiv.org/abs/2206.07682",
    },
    "brown2020": {
        "title": "Language Models are Few-Shot Learners",
        "authors": "Tom B. Brown, Benjamin Mann, Nick Ryder, Melanie Subbiah, et al.",
        "venue": "NeurIPS",
        "year": 2020,
        "url": "https://arxiv.org/abs/2005.14165",
    },
    "jouppi2017": {
        "title": "In-Datacenter Performance Analysis of a Tensor Processing Unit",
        "authors": "Norman P. Jouppi, Cliff Young, Nishant Patil, David Patterson, et al.",
        "venue": "ISCA",
        "year": 2017,
        "url": "https://arxiv.org/abs/1704.04760",
    },
    "jouppi2023": {
        "title": (
            "TPU v4: An Optically Reconfigurable Supercomputer for Machine Learning "
            "with Hardware Support for Embeddings"
        ),
        "authors": "Norman P. Jouppi, George Kurian, Sheng Li, Peter Ma, et al.",
        "venue": "ISCA",
        "year": 2023,
        "url": "https://arxiv.org/abs/2304.01433",
    },
    # Distributed training systems
    "li2020": {
        "title": "PyTorch Distributed: Experiences on Accelerating Data Parallel Training",
        "authors": "Shen Li, Yanli Zhao, Rohan Varma, Omkar Salpekar, et al.",
        "venue": "VLDB",
        "year": 2020,
        "url": "https://arxiv.org/abs/2006.15704",
    },
    "sergeev2018": {
        "title": "Horovod: fast and easy distributed deep learning in TensorFlow",
        "authors": "Alexander Sergeev, Mike Del Balso",
        "venue": "arXiv preprint",
        "year": 2018,
        "url": "https://arxiv.org/abs/1802.05799",
    },
    "shoeybi2019": {
        "title": (
            "Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism"
        ),
        "authors": "Mohammad Shoeybi, Mostofa Patwary, Raul Puri, Patrick LeGresley, et al.",
        "venue": "arXiv preprint",
        "year": 2019,
        "url": "https://arxiv.org/abs/1909.08053",
    },
    "huang2019": {
        "title": "GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism",
        "authors": "Yanping Huang, Youlong Cheng, Ankur Bapna, Orhan Firat, et al.",
        "venue": "NeurIPS",
        "year": 2019,
        "url": "https://arxiv.org/abs/1811.06965",
    },
    "narayanan2021": {
        "title": "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM",
        "authors": "Deepak Narayanan, Mohammad Shoeybi, Jared Casper, Patrick LeGresley, et al.",
        "venue": "SC",
        "year": 2021,
        "url": "https://arxiv.org/abs/2104.04473",
    },
    "rasley2020": {
        "title": (
            "DeepSpeed: System Optimizations Enable Training Deep Learning Models "
            "with Over 100 Billion Parameters"
        ),
        "authors": "Jeff Rasley, Samyam Rajbhandari, Olatunji Ruwase, Yuxiong He",
        "venue": "KDD",
        "year": 2020,
        "url": "https://dl.acm.org/doi/10.1145/3394486.3406703",
    },
    # Optimization at scale
    "goyal2017": {
        "title": "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour",
        "authors": "Priya Goyal, Piotr Dollár, Ross Girshick, Pieter Noordhuis, et al.",
        "venue": "arXiv preprint",
        "year": 2017,
        "url": "https://arxiv.org/abs/1706.02677",
    },
    "smith2018": {
        "title": "Don't Decay the Learning Rate, Increase the Batch Size",
        "authors": "Samuel L. Smith, Pieter-Jan Kindermans, Chris Ying, Quoc V. Le",
        "venue": "ICLR",
        "year": 2018,
        "url": "https://arxiv.org/abs/1711.00489",
    },
    "you2020": {
        "title": "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes",
        "authors": "Yang You, Jing Li, Sashank Reddi, Jonathan Hseu, et al.",
        "venue": "ICLR",
        "year": 2020,
        "url": "https://arxiv.org/abs/1904.00962",
    },
    "loshchilov2019": {
        "title": "Decoupled Weight Decay Regularization",
        "authors": "Ilya Loshchilov, Frank Hutter",
        "venue": "ICLR",
        "year": 2019,
        "url": "https://arxiv.org/abs/1711.05101",
    },
    "micikevicius2018": {
        "title": "Mixed Precision Training",
        "authors": "Paulius Micikevicius, Sharan Narang, Jonah Alben, Gregory Diamos, et al.",
        "venue": "ICLR",
        "year": 2018,
        "url": "https://arxiv.org/abs/1710.03740",
    },
    "lin2018": {
        "title": (
            "Deep Gradient Compression: Reducing the Communication Bandwidth "
            "for Distributed Training"
        ),
        "authors": "Yujun Lin, Song Han, Huizi Mao, Yu Wang, William J. Dally",
        "venue": "ICLR",
        "year": 2018,
        "url": "https://arxiv.org/abs/1712.01887",
    },
    # Model architectures
    "vaswani2017": {
        "title": "Attention Is All You Need",
        "authors": "Ashish Vaswani, Noam Shazeer, Niki Parmar, Jakob Uszkoreit, et al.",
        "venue": "NeurIPS",
        "year": 2017,
        "url": "https://arxiv.org/abs/1706.03762",
    },
    "shazeer2017": {
        "title": "Outrageously Large Neural Networks: The Sparsely-Gated Mixture-of-Experts Layer",
        "authors": "Noam Shazeer, Azalia Mirhoseini, Krzysztof Maziarz, Andy Davis, et al.",
        "venue": "ICLR",
        "year": 2017,
        "url": "https://arxiv.org/abs/1701.06538",
    },
    "lepikhin2021": {
        "title": "GShard: Scaling Giant Models with Conditional Computation and Automatic Sharding",
        "authors": "Dmitry Lepikhin, HyoukJoong Lee, Yuanzhong Xu, Dehao Chen, et al.",
        "venue": "ICLR",
        "year": 2021,
        "url": "https://arxiv.org/abs/2006.16668",
    },
    "fedus2022": {
        "title": (
            "Switch Transformers: Scaling to Trillion Parameter Models "
            "with Simple and Efficient Sparsity"
        ),
        "authors": "William Fedus, Barret Zoph, Noam Shazeer",
        "venue": "JMLR",
        "year": 2022,
        "url": "https://arxiv.org/abs/2101.03961",
    },
    "dao2022": {
        "title": "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
        "authors": "Tri Dao, Daniel Y. Fu, Stefano Ermon, Atri Rudra, Christopher Ré",
        "venue": "NeurIPS",
        "year": 2022,
        "url": "https://arxiv.org/abs/2205.14135",
    },
    # Training infrastructure
    "jiang2024": {
        "title": "MegaScale: Scaling Large Language Model Training to More Than 10,000 GPUs",
        "authors": "Ziheng Jiang, Haibin Lin, Yinmin Zhong, Qi Huang, et al.",
        "venue": "NSDI",
        "year": 2024,
        "url": "https://arxiv.org/abs/2402.15627",
    },
    "zhang2022": {
        "title": "OPT: Open Pre-trained Transformer Language Models",
        "authors": "Susan Zhang, Stephen Roller, Naman Goyal, Mikel Artetxe, et al.",
        "venue": "arXiv preprint",
        "year": 2022,
        "url": "https://arxiv.org/abs/2205.01068",
    },
    "chen2016": {
        "title": "Training Deep Nets with Sublinear Memory Cost",
        "authors": "Tianqi Chen, Bing Xu, Chiyuan Zhang, Carlos Guestrin",
        "venue": "arXiv preprint",
        "year": 2016,
        "url": "https://arxiv.org/abs/1604.06174",
    },
    "korthikanti2023": {
        "title": "Reducing Activation Recomputation in Large Transformer Models",
        "authors": "Vijay Korthikanti, Jared Casper, Sangkug Lym, Lawrence McAfee, et al.",
        "venue": "MLSys",
        "year": 2023,
        "url": "https://arxiv.org/abs/2205.05198",
    },
    "rajbhandari2020": {
        "title": "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
        "authors": "Samyam Rajbhandari, Jeff Rasley, Olatunji Ruwase, Yuxiong He",
        "venue": "SC",
        "year": 2020,
        "url": "https://arxiv.org/abs/1910.02054",
    },
    "zhao2023": {
        "title": "PyTorch FSDP: Experiences on Scaling Fully Sharded Data Parallel",
        "authors": "Yanli Zhao, Andrew Gu, Rohan Varma, Liang Luo, et al.",
        "venue": "VLDB",
        "year": 2023,
        "url": "https://arxiv.org/abs/2304.11277",
    },
    # Post-training and deployment
    "hu2022": {
        "title": "LoRA: Low-Rank Adaptation of Large Language Models",
        "authors": "Edward J. Hu, Yelong Shen, Phillip Wallis, Zeyuan Allen-Zhu, et al.",
        "venue": "ICLR",
        "year": 2022,
        "url": "https://arxiv.org/abs/2106.09685",
    },
    "dettmers2023": {
        "title": "QLoRA: Efficient Finetuning of Quantized LLMs",
        "authors": "Tim Dettmers, Artidoro Pagnoni, Ari Holtzman, Luke Zettlemoyer",
        "venue": "NeurIPS",
        "year": 2023,
        "url": "https://arxiv.org/abs/2305.14314",
    },
    "ouyang2022": {
        "title": "Training language models to follow instructions with human feedback",
        "authors": "Long Ouyang, Jeff Wu, Xu Jiang, Diogo Almeida, et al.",
        "venue": "NeurIPS",
        "year": 2022,
        "url": "https://arxiv.org/abs/2203.02155",
    },
    "christiano2017": {
        "title": "Deep Reinforcement Learning from Human Preferences",
        "authors": "Paul Christiano, Jan Leike, Tom B. Brown, Miljan Martic, et al.",
        "venue": "NeurIPS",
        "year": 2017,
        "url": "https://arxiv.org/abs/1706.03741",
    },
    "rafailov2023": {
        "title": "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
        "authors": "Rafael Rafailov, Archit Sharma, Eric Mitchell, Stefano Ermon, et al.",
        "venue": "NeurIPS",
        "year": 2023,
        "url": "https://arxiv.org/abs/2305.18290",
    },
    "kwon2023": {
        "title": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
        "authors": "Woosuk Kwon, Zhuohan Li, Siyuan Zhuang, Ying Sheng, et al.",
        "venue": "SOSP",
        "year": 2023,
        "url": "https://arxiv.org/abs/2309.06180",
    },
    "leviathan2023": {
        "title": "Fast Inference from Transformers via Speculative Decoding",
        "authors": "Yaniv Leviathan, Matan Kalman, Yossi Matias",
        "venue": "ICML",
        "year": 2023,
        "url": "https://arxiv.org/abs/2211.17192",
    },
    "chen2023": {
        "title": "Accelerating Large Language Model Decoding with Speculative Sampling",
        "authors": (
            "Charlie Chen, Sebastian Borgeaud, Geoffrey Irving, Jean-Baptiste Lespiau, et al."
        ),
        "venue": "arXiv preprint",
        "year": 2023,
        "url": "https://arxiv.org/abs/2302.01318",
    },
    "frantar2023": {
        "title": (
            "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers"
        ),
        "authors": "Elias Frantar, Saleh Ashkboos, Torsten Hoefler, Dan Alistarh",
        "venue": "ICLR",
        "year": 2023,
        "url": "https://arxiv.org/abs/2210.17323",
    },
    "dettmers2022": {
        "title": "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale",
        "authors": "Tim Dettmers, Mike Lewis, Younes Belkada, Luke Zettlemoyer",
        "venue": "NeurIPS",
        "year": 2022,
        "url": "https://arxiv.org/abs/2208.07339",
    },
    "hinton2015": {
        "title": "Distilling the Knowledge in a Neural Network",
        "authors": "Geoffrey Hinton, Oriol Vinyals, Jeff Dean",
        "venue": "arXiv preprint",
        "year": 2015,
        "url": "https://arxiv.org/abs/1503.02531",
    },
    "sanh2019": {
        "title": "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter",
        "authors": "Victor Sanh, Lysandre Debut, Julien Chaumond, Thomas Wolf",
        "venue": "arXiv preprint",
        "year": 2019,
        "url": "https://arxiv.org/abs/1910.01108",
    },
}
