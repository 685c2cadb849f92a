"""Hand-written French segmentation cases: ``(text, expected sentences)``.

Written for this project (blog, political and news registers); each case targets one
difficulty named in its comment. Expected sentences are the exact substrings of the text,
trimmed of surrounding whitespace. Used by ``tests/test_segment.py`` and
``scripts/bench_segment.py``.
"""

from __future__ import annotations

NBSP = "\u00a0"
NNBSP = "\u202f"

CASES: list[tuple[str, list[str]]] = [
    # --- the contract example: a title line, then five sentences ---------------------------------
    (
        "Le client décide-t-il vraiment ?\n\nIl serait naïf de croire que le consommateur décide "
        "à la place de l'entreprise. L'entreprise n'est pas une organisation philanthrope : elle "
        "vend ses produits. M. Dupont, cité par « Le Monde », affirme pourtant le contraire ! "
        "Selon lui, 60 % des clients influencent les choix... Rien n'est moins sûr.",
        [
            "Le client décide-t-il vraiment ?",
            "Il serait naïf de croire que le consommateur décide à la place de l'entreprise.",
            "L'entreprise n'est pas une organisation philanthrope : elle vend ses produits.",
            "M. Dupont, cité par « Le Monde », affirme pourtant le contraire !",
            "Selon lui, 60 % des clients influencent les choix...",
            "Rien n'est moins sûr.",
        ],
    ),
    # --- titles and abbreviations before names ---------------------------------------------------
    (
        "Mme Martin a reçu M. Durand hier soir. Ils ont parlé du budget.",
        ["Mme Martin a reçu M. Durand hier soir.", "Ils ont parlé du budget."],
    ),
    (
        "MM. Bayrou et Retailleau ont signé la tribune. Le texte circule depuis lundi.",
        ["MM. Bayrou et Retailleau ont signé la tribune.", "Le texte circule depuis lundi."],
    ),
    (
        "Le Dr. Lemaire et le Pr. Haddad contestent l'étude. Elle repose sur douze patients.",
        [
            "Le Dr. Lemaire et le Pr. Haddad contestent l'étude.",
            "Elle repose sur douze patients.",
        ],
    ),
    (
        "Me. Vasseur, avocate de la famille, a fait appel. L'audience est fixée au 3 mars.",
        [
            "Me. Vasseur, avocate de la famille, a fait appel.",
            "L'audience est fixée au 3 mars.",
        ],
    ),
    (
        "Mgr. Aupetit a démissionné en 2021. Le Vatican a accepté sa démission.",
        ["Mgr. Aupetit a démissionné en 2021.", "Le Vatican a accepté sa démission."],
    ),
    (
        "Je suis d'accord avec Mme. Borne sur ce point. Le reste de son discours m'a déçu.",
        [
            "Je suis d'accord avec Mme. Borne sur ce point.",
            "Le reste de son discours m'a déçu.",
        ],
    ),
    # --- reference abbreviations ------------------------------------------------------------------
    (
        "Certains secteurs, p. ex. la restauration, manquent de bras. Les salaires y sont bas.",
        [
            "Certains secteurs, p. ex. la restauration, manquent de bras.",
            "Les salaires y sont bas.",
        ],
    ),
    (
        "Le gouvernement a utilisé l'art. 49.3 de la Constitution. "
        "L'opposition a déposé une motion.",
        [
            "Le gouvernement a utilisé l'art. 49.3 de la Constitution.",
            "L'opposition a déposé une motion.",
        ],
    ),
    (
        "La règle figure à l'art. L. 1232-1 du Code du travail. Elle protège le salarié.",
        [
            "La règle figure à l'art. L. 1232-1 du Code du travail.",
            "Elle protège le salarié.",
        ],
    ),
    (
        "Sur ce sujet, cf. Le Monde du 12 mai. L'article est payant.",
        ["Sur ce sujet, cf. Le Monde du 12 mai.", "L'article est payant."],
    ),
    (
        "L'auteur le dit clairement (p. 42). Nous y reviendrons.",
        ["L'auteur le dit clairement (p. 42).", "Nous y reviendrons."],
    ),
    (
        "Voir le chap. 3 et la fig. 2 pour les détails. Les chiffres datent de 2019.",
        [
            "Voir le chap. 3 et la fig. 2 pour les détails.",
            "Les chiffres datent de 2019.",
        ],
    ),
    (
        "Le dossier n° 4512 a été classé sans suite. La plaignante envisage de faire appel.",
        [
            "Le dossier n° 4512 a été classé sans suite.",
            "La plaignante envisage de faire appel.",
        ],
    ),
    (
        "La taxe touche les ménages aisés, c.-à-d. moins de 10 % des foyers. "
        "Son rendement est faible.",
        [
            "La taxe touche les ménages aisés, c.-à-d. moins de 10 % des foyers.",
            "Son rendement est faible.",
        ],
    ),
    (
        "Le musée consacre une salle entière à l'art. Les visiteurs s'y pressent.",
        ["Le musée consacre une salle entière à l'art.", "Les visiteurs s'y pressent."],
    ),
    (
        "Le parti a perdu la moitié de ses élus depuis 2017. Son avenir est incertain.",
        [
            "Le parti a perdu la moitié de ses élus depuis 2017.",
            "Son avenir est incertain.",
        ],
    ),
    (
        "Elle a quitté le PS. Les militants ne l'ont pas retenue.",
        ["Elle a quitté le PS.", "Les militants ne l'ont pas retenue."],
    ),
    (
        "Le texte a été adopté par l'Assemblée nationale. Le Sénat doit maintenant l'examiner.",
        [
            "Le texte a été adopté par l'Assemblée nationale.",
            "Le Sénat doit maintenant l'examiner.",
        ],
    ),
    # --- "etc." -------------------------------------------------------------------------------
    (
        "On trouve de tout : livres, disques, vêtements, etc. Les prix sont imbattables.",
        [
            "On trouve de tout : livres, disques, vêtements, etc.",
            "Les prix sont imbattables.",
        ],
    ),
    (
        "Les fruits, les légumes, etc. coûtent plus cher cette année.",
        ["Les fruits, les légumes, etc. coûtent plus cher cette année."],
    ),
    (
        "Transports, logement, énergie, etc. Tout augmente.",
        ["Transports, logement, énergie, etc.", "Tout augmente."],
    ),
    (
        "Ils promettent des écoles, des hôpitaux, etc., mais sans financement.",
        ["Ils promettent des écoles, des hôpitaux, etc., mais sans financement."],
    ),
    (
        "Smith et al. montrent l'inverse. Leur échantillon est pourtant plus petit.",
        ["Smith et al. montrent l'inverse.", "Leur échantillon est pourtant plus petit."],
    ),
    # --- dates before Christ, initials ----------------------------------------------------------
    (
        "Jules César meurt en 44 av. J.-C. Son fils adoptif lui succède.",
        ["Jules César meurt en 44 av. J.-C.", "Son fils adoptif lui succède."],
    ),
    (
        "En 52 av. J.-C., Vercingétorix se rend à Alésia.",
        ["En 52 av. J.-C., Vercingétorix se rend à Alésia."],
    ),
    (
        "J.-P. Sartre refuse le prix Nobel en 1964. Il ne veut pas être institutionnalisé.",
        [
            "J.-P. Sartre refuse le prix Nobel en 1964.",
            "Il ne veut pas être institutionnalisé.",
        ],
    ),
    (
        "Selon J. Dupuis, la réforme est mal conçue. Son collègue A. Benali est plus nuancé.",
        [
            "Selon J. Dupuis, la réforme est mal conçue.",
            "Son collègue A. Benali est plus nuancé.",
        ],
    ),
    (
        "Le roman de J. K. Rowling s'est vendu à des millions d'exemplaires. "
        "Il a été adapté au cinéma.",
        [
            "Le roman de J. K. Rowling s'est vendu à des millions d'exemplaires.",
            "Il a été adapté au cinéma.",
        ],
    ),
    (
        "La chaîne appartient à J.-C. Decaux depuis longtemps. Elle affiche des pertes.",
        [
            "La chaîne appartient à J.-C. Decaux depuis longtemps.",
            "Elle affiche des pertes.",
        ],
    ),
    # --- numbers, dates and times ------------------------------------------------------------
    (
        "L'inflation a atteint 3.5 % en janvier. Les économistes prévoient 2,1 % fin 2024.",
        [
            "L'inflation a atteint 3.5 % en janvier.",
            "Les économistes prévoient 2,1 % fin 2024.",
        ],
    ),
    (
        "Plus de 1 000 personnes ont manifesté. La préfecture en compte 850.",
        ["Plus de 1 000 personnes ont manifesté.", "La préfecture en compte 850."],
    ),
    (
        "Le rendez-vous est fixé à 12:00pm. Personne ne viendra avant.",
        ["Le rendez-vous est fixé à 12:00pm.", "Personne ne viendra avant."],
    ),
    (
        "Le séisme a eu lieu le 24 Février 2010 vers 3 h du matin. On déplore 12 victimes.",
        [
            "Le séisme a eu lieu le 24 Février 2010 vers 3 h du matin.",
            "On déplore 12 victimes.",
        ],
    ),
    (
        "La loi date de 1905. 80 % des Français y sont attachés.",
        ["La loi date de 1905.", "80 % des Français y sont attachés."],
    ),
    (
        "Le budget s'élève à 1,2 Md€ pour 2025. Il était de 0.9 Md€ en 2020.",
        ["Le budget s'élève à 1,2 Md€ pour 2025.", "Il était de 0.9 Md€ en 2020."],
    ),
    (
        "Ils étaient sept. Le plus jeune avait à peine vingt ans.",
        ["Ils étaient sept.", "Le plus jeune avait à peine vingt ans."],
    ),
    (
        "Je prends ce qu'il y a. Demain, on verra.",
        ["Je prends ce qu'il y a.", "Demain, on verra."],
    ),
    # --- URLs, e-mails and domains -----------------------------------------------------------
    (
        "Le programme est en ligne sur www.exemple.com. Chacun peut le commenter.",
        ["Le programme est en ligne sur www.exemple.com.", "Chacun peut le commenter."],
    ),
    (
        "Écrivez à contact@mairie-exemple.fr pour vous inscrire. Les places sont limitées.",
        [
            "Écrivez à contact@mairie-exemple.fr pour vous inscrire.",
            "Les places sont limitées.",
        ],
    ),
    (
        "Le rapport (https://www.exemple.org/rapport.pdf?version=2) contredit le ministre. "
        "Il sera débattu mardi.",
        [
            "Le rapport (https://www.exemple.org/rapport.pdf?version=2) contredit le ministre.",
            "Il sera débattu mardi.",
        ],
    ),
    (
        "J'ai lu l'article sur lemonde.fr. Franchement, il ne m'a pas convaincu.",
        ["J'ai lu l'article sur lemonde.fr.", "Franchement, il ne m'a pas convaincu."],
    ),
    # --- ellipses -------------------------------------------------------------------------------
    (
        "Il avait promis de baisser les impôts… Trois ans plus tard, rien n'a changé.",
        [
            "Il avait promis de baisser les impôts…",
            "Trois ans plus tard, rien n'a changé.",
        ],
    ),
    (
        "Bon... je ne sais pas quoi dire de plus.",
        ["Bon... je ne sais pas quoi dire de plus."],
    ),
    (
        "Le discours commence ainsi : « Mes chers compatriotes (...) la France est en guerre. »",
        ["Le discours commence ainsi : « Mes chers compatriotes (...) la France est en guerre. »"],
    ),
    (
        "Et maintenant ?... Personne ne le sait.",
        ["Et maintenant ?...", "Personne ne le sait."],
    ),
    # --- quotes --------------------------------------------------------------------------------
    (
        'Il répète : "Qui peut croire que je servirais mes fins ?". Personne ne le croit.',
        [
            'Il répète : "Qui peut croire que je servirais mes fins ?".',
            "Personne ne le croit.",
        ],
    ),
    (
        "« Pourquoi maintenant ? » demande la députée. Le ministre ne répond pas.",
        ["« Pourquoi maintenant ? » demande la députée.", "Le ministre ne répond pas."],
    ),
    (
        "« Nous ne céderons pas ! » Le slogan a été repris par toute la foule.",
        ["« Nous ne céderons pas ! »", "Le slogan a été repris par toute la foule."],
    ),
    (
        "Le slogan « Travailler plus pour gagner plus ! » a marqué la campagne.",
        ["Le slogan « Travailler plus pour gagner plus ! » a marqué la campagne."],
    ),
    (
        "« Je ne suis pas candidat. » Voilà ce qu'il déclarait en mars.",
        ["« Je ne suis pas candidat. »", "Voilà ce qu'il déclarait en mars."],
    ),
    (
        "Elle a lancé « Assez ! », puis elle a quitté la salle.",
        ["Elle a lancé « Assez ! », puis elle a quitté la salle."],
    ),
    (
        "Le titre était « Faut-il avoir peur de l'IA ? ». La réponse était non.",
        ["Le titre était « Faut-il avoir peur de l'IA ? ».", "La réponse était non."],
    ),
    (
        "“Nous irons jusqu'au bout.” Le syndicat maintient la grève.",
        ["“Nous irons jusqu'au bout.”", "Le syndicat maintient la grève."],
    ),
    (
        'Il a demandé si c\'était "vraiment nécessaire ?" avant de voter contre.',
        ['Il a demandé si c\'était "vraiment nécessaire ?" avant de voter contre.'],
    ),
    # --- French spacing, non-breaking spaces, ! and ? --------------------------------------------
    (
        f"Est-ce vraiment une réforme{NBSP}? Non{NNBSP}! C'est une régression.",
        [f"Est-ce vraiment une réforme{NBSP}?", f"Non{NNBSP}!", "C'est une régression."],
    ),
    (
        f"Deux options s'offrent à nous{NBSP}: réformer ou renoncer. Le choix est vite fait.",
        [f"Deux options s'offrent à nous{NBSP}: réformer ou renoncer.", "Le choix est vite fait."],
    ),
    (
        "C'est scandaleux !!! Comment peut-on voter ça ?!",
        ["C'est scandaleux !!!", "Comment peut-on voter ça ?!"],
    ),
    (
        "Il a osé (!) demander une augmentation. La direction a refusé.",
        ["Il a osé (!) demander une augmentation.", "La direction a refusé."],
    ),
    (
        "Les chiffres sont faux ; le ministre le sait. Il persiste pourtant.",
        ["Les chiffres sont faux ; le ministre le sait.", "Il persiste pourtant."],
    ),
    (
        "Qui paiera ? Les contribuables, comme toujours.",
        ["Qui paiera ?", "Les contribuables, comme toujours."],
    ),
    (
        "Le texte passera-t-il ? rien n'est moins sûr, selon les observateurs.",
        ["Le texte passera-t-il ? rien n'est moins sûr, selon les observateurs."],
    ),
    (
        "— Vous êtes sûr ? — Absolument.",
        ["— Vous êtes sûr ?", "— Absolument."],
    ),
    # --- headings, bylines, line breaks ---------------------------------------------------------
    (
        "Réforme des retraites : le grand flou\nPar Claire Dubois\nPublié le 12 janvier 2023 "
        "à 18h30\n\nLe gouvernement présente sa réforme demain. "
        "Les syndicats appellent à la grève.",
        [
            "Réforme des retraites : le grand flou",
            "Par Claire Dubois",
            "Publié le 12 janvier 2023 à 18h30",
            "Le gouvernement présente sa réforme demain.",
            "Les syndicats appellent à la grève.",
        ],
    ),
    (
        "# Pourquoi voter dimanche\n\nParce que l'abstention favorise les extrêmes.",
        ["# Pourquoi voter dimanche", "Parce que l'abstention favorise les extrêmes."],
    ),
    (
        "## Introduction\nLe débat sur le nucléaire revient en force.",
        ["## Introduction", "Le débat sur le nucléaire revient en force."],
    ),
    (
        "Le projet de loi prévoit une hausse des taxes sur\nles carburants dès le mois prochain.",
        ["Le projet de loi prévoit une hausse des taxes sur\nles carburants dès le mois prochain."],
    ),
    (
        "La décision revient au Conseil\nconstitutionnel, qui statuera en juin.",
        ["La décision revient au Conseil\nconstitutionnel, qui statuera en juin."],
    ),
    (
        "Le maire a rencontré les habitants de\nSaint-Denis pour parler de sécurité.",
        ["Le maire a rencontré les habitants de\nSaint-Denis pour parler de sécurité."],
    ),
    (
        "Une victoire en demi-teinte\nLes écologistes progressent mais restent minoritaires.",
        [
            "Une victoire en demi-teinte",
            "Les écologistes progressent mais restent minoritaires.",
        ],
    ),
    (
        "Le vote a eu lieu hier.\nLe résultat sera publié ce soir.",
        ["Le vote a eu lieu hier.", "Le résultat sera publié ce soir."],
    ),
    (
        "Merci M.\nDurand pour votre réponse rapide.",
        ["Merci M.\nDurand pour votre réponse rapide."],
    ),
    (
        "Premier paragraphe sans point final\n\ndeuxième paragraphe en minuscules",
        ["Premier paragraphe sans point final", "deuxième paragraphe en minuscules"],
    ),
    (
        "Le contexte\r\nLa crise énergétique pèse sur les ménages.\r\n\r\nLa suite demain.",
        ["Le contexte", "La crise énergétique pèse sur les ménages.", "La suite demain."],
    ),
    (
        "Nous le répétons depuis des mois :\nLa dette ne se remboursera pas toute seule.",
        ["Nous le répétons depuis des mois :\nLa dette ne se remboursera pas toute seule."],
    ),
    (
        "Chapitre 2 : les causes\n\nTout commence avec la crise de 2008.",
        ["Chapitre 2 : les causes", "Tout commence avec la crise de 2008."],
    ),
    # --- bullet lists ---------------------------------------------------------------------------
    (
        "Le programme repose sur trois piliers :\n- la transition écologique\n- la justice "
        "fiscale\n- la démocratie locale",
        [
            "Le programme repose sur trois piliers :",
            "- la transition écologique",
            "- la justice fiscale",
            "- la démocratie locale",
        ],
    ),
    (
        "Nos propositions :\n1. Augmenter le SMIC.\n2. Bloquer les loyers.\n3. Rétablir l'ISF.",
        [
            "Nos propositions :",
            "1. Augmenter le SMIC.",
            "2. Bloquer les loyers.",
            "3. Rétablir l'ISF.",
        ],
    ),
    (
        "Points clés\n• hausse des prix\n• baisse du pouvoir d'achat\n• colère sociale",
        ["Points clés", "• hausse des prix", "• baisse du pouvoir d'achat", "• colère sociale"],
    ),
    (
        "* Pour : plus de recettes\n* Contre : moins de croissance",
        ["* Pour : plus de recettes", "* Contre : moins de croissance"],
    ),
    (
        "Deux scénarios :\n1) la reprise rapide,\n2) la récession.",
        ["Deux scénarios :", "1) la reprise rapide,", "2) la récession."],
    ),
    (
        "Les étapes :\n- consulter les citoyens, ce qui prendra\n  plusieurs mois ;\n"
        "- voter la loi.",
        [
            "Les étapes :",
            "- consulter les citoyens, ce qui prendra\n  plusieurs mois ;",
            "- voter la loi.",
        ],
    ),
    # --- everyday blog / social style ---------------------------------------------------------
    (
        "Franchement, je ne comprends pas. Pourquoi taxer encore les classes moyennes ? "
        "Ça n'a aucun sens !",
        [
            "Franchement, je ne comprends pas.",
            "Pourquoi taxer encore les classes moyennes ?",
            "Ça n'a aucun sens !",
        ],
    ),
    (
        "J'ai revu mon ex. Elle n'a pas changé d'avis sur l'écologie.",
        ["J'ai revu mon ex.", "Elle n'a pas changé d'avis sur l'écologie."],
    ),
    (
        "Tout le monde a raté le vol. Les passagers ont attendu six heures à Roissy. "
        "La compagnie refuse de payer.",
        [
            "Tout le monde a raté le vol.",
            "Les passagers ont attendu six heures à Roissy.",
            "La compagnie refuse de payer.",
        ],
    ),
    (
        "Il vit au 12 av. Foch depuis vingt ans. Ses voisins le connaissent bien.",
        [
            "Il vit au 12 av. Foch depuis vingt ans.",
            "Ses voisins le connaissent bien.",
        ],
    ),
    (
        "La vitamine C n'a pas d'effet prouvé contre le rhume. Le reste est du marketing.",
        [
            "La vitamine C n'a pas d'effet prouvé contre le rhume.",
            "Le reste est du marketing.",
        ],
    ),
    (
        "Bravo à l'équipe de France 🇫🇷 ! Quel match #ALLEZLESBLEUS",
        ["Bravo à l'équipe de France 🇫🇷 !", "Quel match #ALLEZLESBLEUS"],
    ),
    (
        "L'ONU condamne l'attaque. Le Conseil de sécurité se réunit demain.",
        ["L'ONU condamne l'attaque.", "Le Conseil de sécurité se réunit demain."],
    ),
    (
        "La réforme (voir plus haut.) n'a rien changé.",
        ["La réforme (voir plus haut.) n'a rien changé."],
    ),
    (
        "Elle a cité la loi. (Le texte est disponible en ligne.) Puis elle a conclu.",
        [
            "Elle a cité la loi.",
            "(Le texte est disponible en ligne.)",
            "Puis elle a conclu.",
        ],
    ),
    (
        "P.-S. Je publierai la suite de l'enquête lundi.",
        ["P.-S. Je publierai la suite de l'enquête lundi."],
    ),
    (
        "Rendez-vous le 14 sept. Nous défilerons de la Bastille à la Nation.",
        ["Rendez-vous le 14 sept.", "Nous défilerons de la Bastille à la Nation."],
    ),
    (
        "Le chômage baisse, dit le gouvernement.Les chiffres de l'Insee disent autre chose.",
        ["Le chômage baisse, dit le gouvernement.", "Les chiffres de l'Insee disent autre chose."],
    ),
    (
        "Il manque clairement de vitamine C. Les médecins recommandent des compléments.",
        [
            "Il manque clairement de vitamine C.",
            "Les médecins recommandent des compléments.",
        ],
    ),
    (
        "Le trajet dure env. 2 heures. Il faut réserver à l'avance.",
        ["Le trajet dure env. 2 heures.", "Il faut réserver à l'avance."],
    ),
    (
        "Il est 20 h. Les bureaux de vote ferment.",
        ["Il est 20 h.", "Les bureaux de vote ferment."],
    ),
    (
        "Combien de chômeurs ? 3 millions selon l'Insee.",
        ["Combien de chômeurs ?", "3 millions selon l'Insee."],
    ),
    (
        "Il hésite… puis accepte le poste.",
        ["Il hésite… puis accepte le poste."],
    ),
    (
        "On l'appelle 'le président des riches'. Le surnom lui colle à la peau.",
        ["On l'appelle 'le président des riches'.", "Le surnom lui colle à la peau."],
    ),
    (
        "Faut-il taxer les superprofits ?\nLe débat fait rage à l'Assemblée.",
        ["Faut-il taxer les superprofits ?", "Le débat fait rage à l'Assemblée."],
    ),
    (
        "Par Marc Lévy | 3 mars 2024\nLa réforme divise la majorité.",
        ["Par Marc Lévy | 3 mars 2024", "La réforme divise la majorité."],
    ),
    (
        "La sortie est prévue en oct. 2025. Le prix reste secret.",
        ["La sortie est prévue en oct. 2025.", "Le prix reste secret."],
    ),
    (
        "Le chômage touche désormais\n7 % de la population active.",
        ["Le chômage touche désormais\n7 % de la population active."],
    ),
    (
        "Premier constat.\t\tDeuxième constat.",
        ["Premier constat.", "Deuxième constat."],
    ),
    (
        "Quoi ?! Encore une taxe ?",
        ["Quoi ?!", "Encore une taxe ?"],
    ),
    (
        "Les électeur·rice·s ont tranché. Le résultat est net.",
        ["Les électeur·rice·s ont tranché.", "Le résultat est net."],
    ),
    (
        "Il a répondu : « on verra... » Rien n'a suivi.",
        ["Il a répondu : « on verra... »", "Rien n'a suivi."],
    ),
    (
        "Les aides (APL, RSA, etc.) seront revues. Le calendrier reste flou.",
        ["Les aides (APL, RSA, etc.) seront revues.", "Le calendrier reste flou."],
    ),
    (
        "M. et Mme Dupont sont arrivés. Ils ont deux enfants.",
        ["M. et Mme Dupont sont arrivés.", "Ils ont deux enfants."],
    ),
    (
        "Tout est expliqué sur https://exemple.fr/faq/. Bonne lecture !",
        ["Tout est expliqué sur https://exemple.fr/faq/.", "Bonne lecture !"],
    ),
    (
        "Vous avez écrit à info@exemple.fr ? Nous répondons sous 48 h.",
        ["Vous avez écrit à info@exemple.fr ?", "Nous répondons sous 48 h."],
    ),
    (
        "Il a voté pour (qui s'en étonne ?) puis il a démissionné.",
        ["Il a voté pour (qui s'en étonne ?) puis il a démissionné."],
    ),
    (
        "E. Macron a tranché. La dissolution aura lieu.",
        ["E. Macron a tranché.", "La dissolution aura lieu."],
    ),
    (
        "Il aime l'art. C'est sa seule passion.",
        ["Il aime l'art.", "C'est sa seule passion."],
    ),
    (
        "Plan du rapport\nA. Les causes de la crise\nB. Les solutions envisagées",
        ["Plan du rapport", "A. Les causes de la crise", "B. Les solutions envisagées"],
    ),
    (
        "II. Une réforme injuste\nElle frappe d'abord les plus modestes.",
        ["II. Une réforme injuste", "Elle frappe d'abord les plus modestes."],
    ),
    # --- written after the rules were frozen (first run: 28/30, see docs) -----------------
    (
        "Selon l'Insee, le PIB a progressé de 0,3 % au T2. La consommation reste atone.",
        ["Selon l'Insee, le PIB a progressé de 0,3 % au T2.", "La consommation reste atone."],
    ),
    (
        "Mlle Roux et Mme Petit ont témoigné. Leur récit est accablant.",
        ["Mlle Roux et Mme Petit ont témoigné.", "Leur récit est accablant."],
    ),
    (
        "« C'est une honte ! », s'indigne le sénateur. Il réclame une commission d'enquête.",
        ["« C'est une honte ! », s'indigne le sénateur.", "Il réclame une commission d'enquête."],
    ),
    (
        "Le candidat a-t-il menti ? Les faits semblent le montrer... Mais rien n'est prouvé.",
        [
            "Le candidat a-t-il menti ?",
            "Les faits semblent le montrer...",
            "Mais rien n'est prouvé.",
        ],
    ),
    (
        "Le décret (n° 2023-1234 du 5 déc. 2023) entre en vigueur demain. "
        "Les maires sont inquiets.",
        [
            "Le décret (n° 2023-1234 du 5 déc. 2023) entre en vigueur demain.",
            "Les maires sont inquiets.",
        ],
    ),
    (
        "Éditorial\n\nLa France a-t-elle encore une politique étrangère ? On peut en douter.",
        ["Éditorial", "La France a-t-elle encore une politique étrangère ?", "On peut en douter."],
    ),
    (
        "Il a dit « non ». Point final.",
        ["Il a dit « non ».", "Point final."],
    ),
    (
        "Les députés LR, RN, LFI, etc. ont tous voté contre.",
        ["Les députés LR, RN, LFI, etc. ont tous voté contre."],
    ),
    (
        "Je cite : « La croissance sera de 1,4 % en 2024. » Elle fut de 1,1 %.",
        ["Je cite : « La croissance sera de 1,4 % en 2024. »", "Elle fut de 1,1 %."],
    ),
    (
        "Le Pr Raoult a défendu son traitement. Ses pairs l'ont contesté.",
        ["Le Pr Raoult a défendu son traitement.", "Ses pairs l'ont contesté."],
    ),
    (
        "Rdv à 18 h 30 place de la République !!! Venez nombreux.",
        ["Rdv à 18 h 30 place de la République !!!", "Venez nombreux."],
    ),
    (
        "Trois questions :\n— Qui paie ?\n— Combien ?\n— Jusqu'à quand ?",
        ["Trois questions :", "— Qui paie ?", "— Combien ?", "— Jusqu'à quand ?"],
    ),
    (
        "L'article 3 dispose : « Nul ne peut être inquiété pour ses opinions. » C'est clair.",
        ["L'article 3 dispose : « Nul ne peut être inquiété pour ses opinions. »", "C'est clair."],
    ),
    (
        "Mise à jour 14h05 : le ministre a démissionné.\nMise à jour 15h : l'Élysée confirme.",
        ["Mise à jour 14h05 : le ministre a démissionné.", "Mise à jour 15h : l'Élysée confirme."],
    ),
    (
        "Son livre (éd. Gallimard, 2019) est un succès. Il prépare une suite.",
        ["Son livre (éd. Gallimard, 2019) est un succès.", "Il prépare une suite."],
    ),
    (
        "Comme le disait Ch. de Gaulle, la politique ne se fait pas à la corbeille. "
        "Il avait raison.",
        [
            "Comme le disait Ch. de Gaulle, la politique ne se fait pas à la corbeille.",
            "Il avait raison.",
        ],
    ),
    (
        "La loi Évin date de 1991.Elle encadre la publicité pour l'alcool.",
        ["La loi Évin date de 1991.", "Elle encadre la publicité pour l'alcool."],
    ),
    (
        "Le taux passe de 5.5 à 7 %. Les restaurateurs protestent.",
        ["Le taux passe de 5.5 à 7 %.", "Les restaurateurs protestent."],
    ),
    (
        "Vous pouvez signer la pétition sur change.org. Elle a déjà 100 000 signatures.",
        ["Vous pouvez signer la pétition sur change.org.", "Elle a déjà 100 000 signatures."],
    ),
    (
        "À lire aussi\nLes retraites, un débat sans fin\n\nLe Conseil d'État a rendu son avis.",
        ["À lire aussi", "Les retraites, un débat sans fin", "Le Conseil d'État a rendu son avis."],
    ),
    (
        "Il faut agir vite. Très vite. Sinon, il sera trop tard.",
        ["Il faut agir vite.", "Très vite.", "Sinon, il sera trop tard."],
    ),
    (
        "La C.G.T. appelle à la grève. La C.F.D.T. hésite encore.",
        ["La C.G.T. appelle à la grève.", "La C.F.D.T. hésite encore."],
    ),
    (
        "Le député (LFI) a quitté l'hémicycle. Ses collègues l'ont applaudi.",
        ["Le député (LFI) a quitté l'hémicycle.", "Ses collègues l'ont applaudi."],
    ),
    (
        "Qu'en pensez-vous ? Dites-le en commentaire ! Merci d'avance.",
        ["Qu'en pensez-vous ?", "Dites-le en commentaire !", "Merci d'avance."],
    ),
    (
        "Les prix ont augmenté de 10 % vs. 2022. Les salaires, eux, stagnent.",
        ["Les prix ont augmenté de 10 % vs. 2022.", "Les salaires, eux, stagnent."],
    ),
    (
        "Le sommet s'est tenu à St-Malo. Les dirigeants ont signé un accord.",
        ["Le sommet s'est tenu à St-Malo.", "Les dirigeants ont signé un accord."],
    ),
    (
        "Il est né le 3 janv. 1950 à Lyon. Il a grandi à Marseille.",
        ["Il est né le 3 janv. 1950 à Lyon.", "Il a grandi à Marseille."],
    ),
    (
        "Nos trois priorités :\n\n1. L'emploi\n2. Le logement\n3. La santé",
        ["Nos trois priorités :", "1. L'emploi", "2. Le logement", "3. La santé"],
    ),
    (
        "Ils ont dit oui... puis non. Quelle girouette !",
        ["Ils ont dit oui... puis non.", "Quelle girouette !"],
    ),
    (
        "Lire la suite sur https://www.exemple.fr/politique/reforme-2024.html?utm=1 !",
        ["Lire la suite sur https://www.exemple.fr/politique/reforme-2024.html?utm=1 !"],
    ),
]
