"""EM seen as variational inference, and variational Bayes.

EM maximises a lower bound on the log-likelihood, the evidence lower bound
``L(q, theta) = sum_ik q_ik [log pi_k + log N(x_i | k) - log q_ik]``, whose
gap to ``log L(theta)`` is ``KL(q || p(z | x, theta))``; this folder holds
the tools that make that view concrete:

* :mod:`.bound`: the decomposition ``log L = L(q, theta) + KL`` at any
  parameters and responsibilities, along EM's half-steps and along a path
  through parameter space (PRML figure 9.14);
* :mod:`.tempering`: the E-step at a temperature ``T`` (responsibilities
  proportional to ``(pi_k N_k) ** (1 / T)``, deterministic-annealing EM) and
  the annealing schedules that run EM from hot to cold;
* :mod:`.special`: the digamma and log-gamma functions, in numpy alone;
* :mod:`.updates` and :mod:`.bayesian`: the variational Bayesian Gaussian
  mixture (scikit-learn's ``BayesianGaussianMixture``), whose weights prior
  switches unneeded components off.

May import emcore's core modules (``_validation``, ``densities``,
``kernels``, ``initialization``, ``base``, ``em``,
``mixture``), never ``experiment`` or ``selection``. This ``__init__``
imports nothing, so that ``emcore.em`` can use :mod:`.tempering` without an
import cycle; ``emcore`` itself exports the public names.
"""
