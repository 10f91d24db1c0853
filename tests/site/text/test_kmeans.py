"""simapp.text.kmeans: the k-means panel's ARIs compared in words."""

from __future__ import annotations

from simapp.text import kmeans

from emcore.experiment import run as emcore_run


def test_ari_sentence_names_both_aris():
    result = emcore_run(k=3, n=300, seed=2)
    km = result.kmeans
    text = kmeans.ari_sentence(result.ari, km.ari)
    assert f"{km.ari:.3f}" in text and f"{result.ari:.3f}" in text
    assert "No true labels" in kmeans.ari_sentence(None, None)
    assert kmeans.ari_text(None) == "n/a"
