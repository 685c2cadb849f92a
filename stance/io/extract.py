"""HTML → main text: trafilatura with recall bias, minus blog and CMS furniture lines."""

from __future__ import annotations

# Blog/CMS furniture that trafilatura sometimes keeps as a paragraph of its own. Matched on
# short lines only (and never on lines ending like a sentence) so that real text survives.
_CHROME_PREFIXES = (
    "suivre ce blog", "commenter cet article", "partager", "s'abonner", "abonnez-vous",
    "inscrivez-vous", "recevoir les articles", "newsletter", "lire la suite", "voir le profil",
    "publié par", "publié le", "publié dans", "posté par", "article précédent",
    "article suivant", "retour à l'accueil", "haut de page", "signaler un abus",
    "créer un blog", "imprimer", "j'aime", "ajouter un commentaire", "laisser un commentaire",
    "commentaires", "catégories", "mots-clés", "tags", "rss", "aller au contenu", "accueil",
    "rechercher", "menu", "contact", "mentions légales", "tous droits réservés", "©", "tweet",
    "envoyer par e-mail", "share", "follow", "subscribe",
)  # fmt: skip
_CHROME_MAX_CHARS = 60


def extract_main_text(data: bytes) -> tuple[str, str | None]:
    """(main text, title) of an HTML page: trafilatura with recall bias, no comments/tables.

    Tables are left out because their cells come out as sentence-less fragments. The title
    becomes the first line (followed by a blank line) unless the text already starts with it.
    """
    import trafilatura

    result = trafilatura.bare_extraction(
        data,
        favor_recall=True,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
    )
    if result is None:
        return "", None
    title = getattr(result, "title", None) or None
    lines = [ln.strip() for ln in (getattr(result, "text", "") or "").split("\n")]
    body = "\n".join(ln for ln in lines if ln and not is_chrome_line(ln))
    if title and body and not body.startswith(title):
        return f"{title}\n\n{body}", title
    return body, title


def is_chrome_line(line: str) -> bool:
    """True for navigation/share/subscribe lines such as "Suivre ce blog" or "Partager"."""
    norm = line.strip().lower().replace("\u2019", "'")
    if len(norm) > _CHROME_MAX_CHARS or norm.endswith((".", "!", "?", "…")):
        return False
    return any(
        norm.startswith(p) and (len(norm) == len(p) or not norm[len(p)].isalnum())
        for p in _CHROME_PREFIXES
    )
