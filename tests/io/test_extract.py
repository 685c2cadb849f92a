"""HTML → main text through the real trafilatura, minus blog furniture lines."""

from __future__ import annotations

import pytest

from stance.io.extract import extract_main_text, is_chrome_line

ARTICLE = [
    "Le transport aérien bénéficie d'un avantage fiscal injustifié depuis des décennies. Il "
    "faut taxer le kérosène comme n'importe quel autre carburant, au moins en Europe.",
    "Les vols intérieurs émettent bien plus de CO2 par passager que le train, alors que le "
    "train paie, lui, toutes ses taxes sur l'énergie consommée par ses locomotives.",
    "Certains craignent pour le tourisme des régions isolées ; une partie de la recette "
    "pourrait justement financer leurs liaisons ferroviaires et leurs bus de nuit.",
]
PAGE = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Pour une taxe sur le kérosène</title></head>
<body>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/suivre">Suivre ce blog</a></li>
<li><a href="/contact">Contact</a></li></ul></nav></header>
<main><article>
<h1>Pour une taxe sur le kérosène</h1>
<p>{ARTICLE[0]}</p>
<p>Partager</p>
<p>{ARTICLE[1]}</p>
<p>{ARTICLE[2]}</p>
<p>Suivre ce blog</p>
<p>Partager sur Facebook</p>
</article></main>
<section class="comments"><h3>Commentaires</h3><p>Bravo, très bon article, merci !</p></section>
<footer><p>Tous droits réservés – Créer un blog gratuit</p></footer>
</body></html>
""".encode()


def test_real_page_main_text_without_navigation_lines() -> None:
    import trafilatura

    text, title = extract_main_text(PAGE)
    assert title == "Pour une taxe sur le kérosène"
    lines = text.split("\n")
    assert lines[0] == title and text.count(title) == 1  # the title heads the text, once
    for paragraph in ARTICLE:
        assert paragraph in lines
    for chrome in ("Partager", "Suivre ce blog", "Accueil", "Tous droits", "Bravo"):
        assert chrome not in text
    assert all(not is_chrome_line(line) for line in lines if line)
    # trafilatura alone keeps share buttons inside the article: the filter is what drops them
    raw = trafilatura.extract(PAGE, favor_recall=True, include_comments=False)
    assert raw is not None and "Partager" in raw


def test_title_is_added_when_the_text_lacks_it() -> None:
    page = PAGE.replace(b"<h1>Pour une taxe sur le k\xc3\xa9ros\xc3\xa8ne</h1>", b"")
    text, title = extract_main_text(page)
    assert text.startswith(f"{title}\n\n{ARTICLE[0]}")


def test_page_without_main_text() -> None:
    text, _ = extract_main_text(b"<html><body><nav>Accueil</nav></body></html>")
    assert text == ""


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("Suivre ce blog", True),
        ("Partager sur Facebook", True),
        ("S’abonner", True),
        ("Partager les richesses est un devoir.", False),
        ("Partageons nos idées", False),
        ("PARTAGER", True),
        ("Partager.", False),  # ends like a sentence
        ("© 2024 Le blog de Claire", True),
        ("Commentaires (3)", True),
        ("Accueil » Politique » Climat", True),
        ("Contactez-nous pour en savoir plus sur la taxe carbone et ses effets", False),
        ("Publié par Claire le 3 mai", True),
        ("Menus plaisirs", False),  # the prefix must end at a word boundary
    ],
)
def test_chrome_line_detection(line: str, chrome: bool) -> None:
    assert is_chrome_line(line) is chrome
