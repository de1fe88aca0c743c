"""The tests marked ``slow`` besides those that carry ``@pytest.mark.slow`` themselves: each
took 10 seconds or more (wall clock, on the shared 2-core machine under load), so that
``pytest -m "not slow"``, the fast subset of ``docs/how-to/develop-and-test.md``, stays under
3 minutes on 2 cores. Both ``conftest.py`` files call :func:`mark_slow` on the collected items.

An entry is a test's node id; one without its parameters (no ``[``) marks every
parametrisation, and one ending inside the brackets marks the parametrisations it begins.
"""

from __future__ import annotations

import pytest

SLOW: tuple[str, ...] = (
    "properties/test_appendix_a.py::test_normalised_margin__between_the_proof_bound_and_one",
    "properties/test_appendix_e.py::test_check_setting__appendix_e_holds_on_its_events",
    "properties/test_appendix_e_last_step.py::test_check_last_step__soudry_hypotheses_and_no_ties",
    "properties/test_event_14.py::test_check_event_14__holds_through_the_sampler",
    "properties/test_event_14.py::test_check_event_14_exact__holds_and_is_within_hoeffding_for_every_m",
    "properties/test_footnote_5.py::test_check_footnote_5__exponent_is_linear_in_k_at_the_chernoff_rate",
    "properties/test_lemma_5_2.py::test_check_lemma_5_2__agrees_with_the_exact_law_over_the_whole_setting",
    "properties/test_lemma_5_2.py::test_check_lemma_5_2__holds_inside_the_proofs_assumptions",
    "properties/test_lemma_5_2_smallest_k.py::test_smallest_k__agrees_with_the_hoeffding_horizon_scan",
    "properties/test_lemma_5_2_smallest_k.py::test_smallest_k__holds_from_k_star_on_and_fails_just_below",
    "properties/test_lemma_5_3.py::test_check_both__lemma_5_3_and_corollary_5_4_hold_on_eq_14",
    "properties/test_lemma_5_5.py::test_check_setting__lemma_5_5_holds_on_the_whole_support",
    "properties/test_lemma_c1.py::test_check_setting__lemma_c1_holds_at_every_step_and_filter",
    "properties/test_lemma_c2.py::test_check_setting__lemma_c2_holds_at_every_step_and_sample",
    "properties/test_theorem_4_2.py::test_check_shattering__realises_drawn_labellings_for_n_6_to_8",
    "properties/test_theorem_5_1.py::test_check_setting__part_1_holds_on_the_events",
    "properties/test_theorem_5_1_confidence.py::test_evaluate_seed__verdict_is_the_conclusion",
    "tests/test_appendix_e.py::test_descend__loss_decreases_to_zero_below_the_convex_gd_bound",
    "tests/test_atlas_curves.py::test_atlas__the_curve_claims_are_in_the_atlas_with_their_own_figure",
    "tests/test_certify_footnote_5.py::test_footnote_5_rate__verifies_and_encloses_the_checkers_floats",
    "tests/test_certify_per_filter.py::test_per_filter_probability__is_the_closed_form[21]",
    "tests/test_dask.py::test_dask_client__runs_in_worker_processes_with_one_thread",
    "tests/test_docs.py::test_tutorial__every_python_block_runs_in_order",
    "tests/test_doctests.py::test_doctests__examples_run[verify.claims.proof_algebra]",
    "tests/test_doctests.py::test_doctests__examples_run[verify.claims.section_7.mlp]",
    "tests/test_experiments_cli.py::test_main__files_follow_the_umask",
    "tests/test_experiments_cli.py::test_main__tiny_run_writes_csv_and_markdown_and_is_deterministic",
    "tests/test_experiments_cli.py::test_module__usage_error_from_the_command_line",
    "tests/test_experiments_figures.py::test_check_figure__one_evidence_per_claim",
    "tests/test_experiments_figures.py::test_run_figure__same_seed_same_records_and_threads_restored",
    "tests/test_experiments_figures.py::test_svm_probe_records__let_the_svm_half_of_fig3b_be_tested",
    "tests/test_experiments_models.py::test_train_convpool__reaches_zero_training_error_on_D",
    "tests/test_experiments_models.py::test_train_mlp__reaches_zero_training_error_and_is_deterministic",
    "tests/test_figure_3c.py::test_main__fig3c_with_mnist_idx_files",
    "tests/test_figure_3c.py::test_run_fig3c__deterministic_on_tiny_mnist",
    "tests/test_footnote_5.py::test_rate_limits__are_exact",
    "tests/test_fuzzing.py::test_fuzz_outside__finds_a_needed_assumption_and_its_counterexample_replays",
    "tests/test_fuzzing_verdicts.py::test_fuzz_inside__status_for_each_verdict_kind[check_fails-VIOLATED",
    "tests/test_fuzzing_verdicts.py::test_fuzz_outside__needed_only_where_the_checker_fails_outside",
    "tests/test_fuzzing_verdicts.py::test_fuzz_outside__untested_when_violating_it_breaks_another_assumption",
    "tests/test_lemma_5_2_kernels.py::test_lucky_counts__follow_the_exact_multinomial_law[4-4-300-dense-2000]",
    "tests/test_lemma_5_2_kernels.py::test_lucky_counts__follow_the_exact_multinomial_law[5-3-1000-dense-2000]",
    "tests/test_network_kernels.py::test_dense_forward__jstar_type_holds_every_position[129]",
    "tests/test_network_kernels.py::test_pattern_forward__top_type_holds_every_pattern_index[129]",
    "tests/test_network_kernels.py::test_pattern_path__bit_identical_activations_to_dense_path",
    "tests/test_network_limits.py::test_forward__streamed_equals_one_call_bit_for_bit[64-1025-1024]",
    "tests/test_pattern_path_kernels.py::test_pattern_blocks__report_ties_for_more_patterns_than_classes_allow",
    "tests/test_pattern_path_kernels.py::test_step__both_gradients_equal_the_numpy_twin",
    "tests/test_patterns.py::test_haar_patterns__haar_distributed",
    "tests/test_proposition_6_1.py::test_report_checks__quick_holds_and_is_reproducible",
    "tests/test_sample_complexity.py::test_check_scaling__rows_determinism_and_plots",
    "tests/test_sequential.py::test_run_sequential__errors_stay_within_their_levels_across_looks",
    "tests/test_stats.py::test_binomial_test__p_value_is_the_upper_tail",
    "tests/test_stats.py::test_critical_count__is_the_smallest_rejected_count",
    "tests/test_stats.py::test_rejection_probability__equals_the_brute_force_sum",
    "tests/test_sweep.py::test_run_sweep__rows_match_direct_checker_calls",
    "tests/test_sweep.py::test_run_sweep__same_rows_for_1_and_2_workers",
    "tests/test_sweep_adaptive.py::test_main_adaptive__decides_each_regime_in_rounds_and_is_deterministic",
    "tests/test_sweep_adaptive.py::test_run_adaptive__rounds_until_decided_or_the_budget_and_deterministic",
    "tests/test_sweep_cli.py::test_main__exit_status_and_summary",
    "tests/test_sweep_faults.py::test_run_sweep__keeps_a_bounded_window_of_futures_in_flight",
    "tests/test_theorem_4_2.py::test_report_checks__quick_holds_for_l_equal_d_and_fails_below",
    "tests/test_theorem_5_1_confidence.py::test_check_confidence__arguments_and_determinism",
    "tests/test_theorem_5_1_confidence.py::test_check_confidence__rejects_a_rate_far_below_the_claim",
    "tests/test_theorem_5_1_confidence.py::test_check_confidence_corollary__holds_without_lemma_5_2s_event",
    "tests/test_theorem_5_1_nonvacuous.py::test_d3_rows_vacuous_and_the_nonvacuous_sizes_cannot_fail",
)


def is_slow(nodeid: str, listed: tuple[str, ...] = SLOW) -> bool:
    """Whether the test ``nodeid`` is in ``listed`` (exactly, or as a parametrisation of an
    entry, or beginning with an entry that ends inside the brackets)."""
    for entry in listed:
        if nodeid == entry or nodeid.startswith(entry + "["):
            return True
        if "[" in entry and not entry.endswith("]") and nodeid.startswith(entry):
            return True
    return False


def mark_slow(items: list[pytest.Item]) -> None:
    """Add the ``slow`` marker to every collected test that :data:`SLOW` lists."""
    for item in items:
        if is_slow(item.nodeid):
            item.add_marker(pytest.mark.slow)
