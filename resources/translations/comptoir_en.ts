<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <source>%1 boîte</source>
        <translation>%1 box</translation>
    </message>
    <message>
        <source>%1 boîtes</source>
        <translation>%1 boxes</translation>
    </message>
    <message>
        <source>%1 boîte(s)</source>
        <translation>%1 box(es)</translation>
    </message>
    <message>
        <source>%1 renouv.</source>
        <translation>%1 renewal(s)</translation>
    </message>
    <message>
        <source>[Stupéfiant]</source>
        <translation>[Narcotic]</translation>
    </message>
    <message>
        <source>[Assimilé stupéfiant]</source>
        <translation>[Narcotic-like]</translation>
    </message>
    <message>
        <source>[Liste I]</source>
        <translation>[List I]</translation>
    </message>
    <message>
        <source>[Liste II]</source>
        <translation>[List II]</translation>
    </message>
    <message>
        <source>à choisir</source>
        <translation>to choose</translation>
    </message>
    <message>
        <source>déjà délivrée</source>
        <translation>already delivered</translation>
    </message>
    <message>
        <source>Générique : %1</source>
        <translation>Generic: %1</translation>
    </message>
    <message>
        <source>Adapté : %1</source>
        <translation>Adjusted: %1</translation>
    </message>
    <message>
        <source>le %1</source>
        <translation>on %1</translation>
    </message>
    <message>
        <source>le %1 à %2</source>
        <translation>on %1 at %2</translation>
    </message>
    <message>
        <source>prescripteur informé : %1 le %2</source>
        <translation>prescriber informed: %1 on %2</translation>
    </message>
    <message>
        <source>accord %1 le %2</source>
        <translation>agreed by %1 on %2</translation>
    </message>
    <message>
        <source>sans accord</source>
        <translation>no agreement</translation>
    </message>
    <message>
        <source>%1 boîte(s) au lieu de %2</source>
        <translation>%1 box(es) instead of %2</translation>
    </message>
    <message>
        <source>%1 au lieu de « %2 »</source>
        <translation>%1 instead of “%2”</translation>
    </message>
    <message>
        <source>« %1 » au lieu de « %2 »</source>
        <translation>“%1” instead of “%2”</translation>
    </message>
    <message>
        <source>non précisée</source>
        <translation>not specified</translation>
    </message>
    <message>
        <source>générique</source>
        <translation>generic</translation>
    </message>
    <message>
        <source>équivalent thérapeutique</source>
        <translation>therapeutic equivalent</translation>
    </message>
    <message>
        <source>continuité du traitement</source>
        <translation>continuity of treatment</translation>
    </message>
    <message>
        <source>politique de l&apos;officine</source>
        <translation>pharmacy policy</translation>
    </message>
    <message>
        <source>rupture de stock</source>
        <translation>out of stock</translation>
    </message>
    <message>
        <source>règle réglementaire</source>
        <translation>regulatory rule</translation>
    </message>
    <message>
        <source>Adaptation : %1</source>
        <translation>Adjustment: %1</translation>
    </message>
    <message>
        <source>Produit délivré : %1</source>
        <translation>Product dispensed: %1</translation>
    </message>
    <message>
        <source>Quantité délivrée : %1</source>
        <translation>Quantity dispensed: %1</translation>
    </message>
    <message>
        <source>Accord du prescripteur : %1 %2</source>
        <translation>Prescriber&apos;s agreement: %1 %2</translation>
    </message>
    <message>
        <source>Sans accord du prescripteur — fondement : %1</source>
        <translation>Without the prescriber&apos;s agreement — legal basis: %1</translation>
    </message>
    <message>
        <source>Sans accord du prescripteur</source>
        <translation>Without the prescriber&apos;s agreement</translation>
    </message>
    <message>
        <source>rien à remettre</source>
        <translation>nothing to hand over</translation>
    </message>
    <message>
        <source>non remise</source>
        <translation>not handed over</translation>
    </message>
    <message>
        <source>CIP13 %1 — Qté : %2</source>
        <translation>CIP13 %1 — Qty: %2</translation>
    </message>
    <message>
        <source>Fraction n° %1</source>
        <translation>Fraction no. %1</translation>
    </message>
    <message>
        <source>Délivrance partielle</source>
        <translation>Partial dispensing</translation>
    </message>
    <message>
        <source>Substitution : %1 délivré pour %2 (%3)</source>
        <translation>Substitution: %1 dispensed for %2 (%3)</translation>
    </message>
    <message>
        <source>Refus du générique par le patient (tiers payant maintenu)</source>
        <translation>Generic refused by the patient (third-party payment kept)</translation>
    </message>
    <message>
        <source>Refus du générique par le patient (tiers payant suspendu)</source>
        <translation>Generic refused by the patient (third-party payment suspended)</translation>
    </message>
    <message>
        <source>Posologie adaptée : %1</source>
        <translation>Adjusted posology: %1</translation>
    </message>
    <message>
        <source>Non délivré — motif : %1</source>
        <translation>Not dispensed — reason: %1</translation>
    </message>
    <message>
        <source>Ordonnancier n° %1</source>
        <translation>Controlled-substance register no. %1</translation>
    </message>
    <message>
        <source>Ordonnancier n°s %1</source>
        <translation>Controlled-substance register nos. %1</translation>
    </message>
    <message>
        <source>Renouvellement n° %1</source>
        <translation>Renewal no. %1</translation>
    </message>
    <message>
        <source>Reste à délivrer : %1</source>
        <translation>Left to dispense: %1</translation>
    </message>
    <message>
        <source>aucun</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Renouvellement(s) restant(s) : %1</source>
        <translation>Renewal(s) left: %1</translation>
    </message>
    <message>
        <source>Alerte levée : %1 (%2)</source>
        <translation>Warning overridden: %1 (%2)</translation>
    </message>
    <message>
        <source>Quantité non calculée : choisissez le nombre de boîtes.</source>
        <translation>Quantity not computed: choose the number of boxes.</translation>
    </message>
    <message>
        <source>Calculé : %1</source>
        <translation>Computed: %1</translation>
    </message>
    <message>
        <source>%1 unité(s) nécessaire(s)</source>
        <translation>%1 unit(s) needed</translation>
    </message>
    <message>
        <source>%1 jour(s) de traitement</source>
        <translation>%1 day(s) of treatment</translation>
    </message>
    <message>
        <source>lot %1</source>
        <translation>lot %1</translation>
    </message>
    <message>
        <source>exp. %1</source>
        <translation>exp. %1</translation>
    </message>
    <message>
        <source>n° %1</source>
        <translation>no. %1</translation>
    </message>
    <message>
        <source>Adaptée : %1</source>
        <translation>Adapted: %1</translation>
    </message>
    <message>
        <source>Prescrit</source>
        <translation>Prescribed</translation>
    </message>
    <message>
        <source>Posologie</source>
        <translation>Posology</translation>
    </message>
    <message>
        <source>Durée</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Qté prescrite</source>
        <translation>Prescribed qty</translation>
    </message>
    <message>
        <source>Renouv.</source>
        <translation>Renewals</translation>
    </message>
    <message>
        <source>Reste</source>
        <translation>Remaining</translation>
    </message>
    <message>
        <source>Substitution</source>
        <translation>Substitution</translation>
    </message>
    <message>
        <source>autorisée</source>
        <translation>allowed</translation>
    </message>
    <message>
        <source>Délivré</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <source>Boîtes</source>
        <translation>Boxes</translation>
    </message>
    <message>
        <source>Scannées</source>
        <translation>Scanned</translation>
    </message>
    <message>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <source>né(e) le %1</source>
        <translation>born %1</translation>
    </message>
    <message>
        <source>NIR %1</source>
        <translation>NIR %1</translation>
    </message>
    <message>
        <source>RPPS %1</source>
        <translation>RPPS %1</translation>
    </message>
    <message>
        <source>Prescrite le %1</source>
        <translation>Prescribed on %1</translation>
    </message>
    <message>
        <source>valable jusqu&apos;au %1</source>
        <translation>valid until %1</translation>
    </message>
    <message>
        <source>Ordonnance annulée par le prescripteur.</source>
        <translation>Prescription cancelled by the prescriber.</translation>
    </message>
    <message>
        <source>Ordonnance expirée.</source>
        <translation>Prescription expired.</translation>
    </message>
    <message>
        <source>Ordonnance déjà entièrement délivrée.</source>
        <translation>Prescription already fully dispensed.</translation>
    </message>
    <message>
        <source>« %1 » : ligne annulée.</source>
        <translation>“%1”: line cancelled.</translation>
    </message>
    <message>
        <source>« %1 » : déjà entièrement délivrée.</source>
        <translation>“%1”: already fully dispensed.</translation>
    </message>
    <message>
        <source>« %1 » : validité dépassée (%2).</source>
        <translation>“%1”: validity exceeded (%2).</translation>
    </message>
    <message>
        <source>« %1 » : introuvable dans le catalogue, choisissez le produit.</source>
        <translation>“%1”: not found in the catalogue, choose the product.</translation>
    </message>
    <message>
        <source>✖ mise de côté</source>
        <translation>✖ put aside</translation>
    </message>
    <message numerus="yes">
        <source>◷ non transmise (%n tentative(s))</source>
        <translation>
            <numerusform>◷ not sent (%n attempt)</numerusform>
            <numerusform>◷ not sent (%n attempts)</numerusform>
        </translation>
    </message>
    <message>
        <source>à préparer</source>
        <translation>to prepare</translation>
    </message>
    <message>
        <source>en cours</source>
        <translation>in progress</translation>
    </message>
    <message>
        <source>en attente</source>
        <translation>on hold</translation>
    </message>
    <message>
        <source>délivrée</source>
        <translation>dispensed</translation>
    </message>
    <message>
        <source>non délivrée</source>
        <translation>not dispensed</translation>
    </message>
    <message>
        <source>arrêtée</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>Produit</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>Quantité</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>Non délivré</source>
        <translation>Not dispensed</translation>
    </message>
    <message>
        <source>Adaptation</source>
        <translation>Adjustment</translation>
    </message>
    <message>
        <source>Dispensation exceptionnelle</source>
        <translation>Exceptional dispensing</translation>
    </message>
    <message>
        <source>côté prescripteur : ce qui a été délivré pour une ordonnance</source>
        <translation>prescriber&apos;s side: what was dispensed for a prescription</translation>
    </message>
    <message>
        <source>les délivrances d&apos;une ordonnance et leurs adaptations</source>
        <translation>a prescription&apos;s dispensings and their adjustments</translation>
    </message>
    <message>
        <source>numéro de l&apos;ordonnance numérique</source>
        <translation>number of the e-prescription</translation>
    </message>
    <message>
        <source>non précisé</source>
        <translation>not given</translation>
    </message>
    <message>
        <source>motif : {reason}</source>
        <translation>reason: {reason}</translation>
    </message>
    <message>
        <source>le {day}</source>
        <translation>on {day}</translation>
    </message>
    <message>
        <source>prescripteur informé : {means}</source>
        <translation>prescriber informed: {means}</translation>
    </message>
    <message>
        <source>à {time}</source>
        <translation>at {time}</translation>
    </message>
    <message>
        <source>accord du prescripteur : {means}</source>
        <translation>prescriber&apos;s agreement: {means}</translation>
    </message>
    <message>
        <source>sans accord, fondement : {basis}</source>
        <translation>without agreement, legal basis: {basis}</translation>
    </message>
    <message>
        <source>sans accord du prescripteur</source>
        <translation>without the prescriber&apos;s agreement</translation>
    </message>
    <message>
        <source>Ligne {line} — {status}</source>
        <translation>Line {line} — {status}</translation>
    </message>
    <message>
        <source>pharmacie FINESS {finess}</source>
        <translation>pharmacy FINESS {finess}</translation>
    </message>
    <message>
        <source>renouvellement n° {index}</source>
        <translation>renewal no. {index}</translation>
    </message>
    <message>
        <source>Substitution ({kind}, motif {reason})</source>
        <translation>Substitution ({kind}, reason {reason})</translation>
    </message>
    <message>
        <source>Générique refusé par le patient : le produit prescrit a été délivré</source>
        <translation>Generic refused by the patient: the prescribed product was dispensed</translation>
    </message>
    <message>
        <source>Ordonnance n° {number} : délivrances vues par le prescripteur</source>
        <translation>Prescription no. {number}: dispensings as the prescriber sees them</translation>
    </message>
    <message>
        <source>Aucune délivrance enregistrée pour cette ordonnance.</source>
        <translation>No dispensing recorded for this prescription.</translation>
    </message>
    <message>
        <source>annulée</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>{what} attendu sur l&apos;entrée standard (une ligne), rien n&apos;a été lu</source>
        <translation>{what} expected on standard input (one line), nothing was read</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Confirmez : </source>
        <translation>Confirm: </translation>
    </message>
    <message>
        <source>Les deux saisies diffèrent : rien n&apos;a été enregistré</source>
        <translation>The two entries differ: nothing was saved</translation>
    </message>
    <message>
        <source>Nouveau PIN</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <source>Entrée standard : ligne(s) en trop (les deux saisies du PIN diffèrent ?) ; rien n&apos;a été enregistré</source>
        <translation>Standard input: extra line(s) (do the two PIN entries differ?); nothing was saved</translation>
    </message>
    <message>
        <source>PIN de l&apos;utilisateur n° {id} : </source>
        <translation>PIN of user no. {id}: </translation>
    </message>
    <message>
        <source>utilisateurs de la pharmacie (ajouter, lister, désactiver, PIN, badge)</source>
        <translation>the pharmacy&apos;s users (add, list, disable, PIN, badge)</translation>
    </message>
    <message>
        <source>lister les utilisateurs</source>
        <translation>list the users</translation>
    </message>
    <message>
        <source>y compris les comptes désactivés</source>
        <translation>disabled accounts included</translation>
    </message>
    <message>
        <source>ajouter un utilisateur (son PIN est saisi sans écho)</source>
        <translation>add a user (the PIN is typed without echo)</translation>
    </message>
    <message>
        <source>nom affiché</source>
        <translation>display name</translation>
    </message>
    <message>
        <source>obligatoire pour un pharmacien, facultatif pour un préparateur</source>
        <translation>required for a pharmacist, optional for a pharmacy technician</translation>
    </message>
    <message>
        <source>lire aussi le code de son badge (saisi sans écho)</source>
        <translation>also read the code of the user&apos;s badge (typed without echo)</translation>
    </message>
    <message>
        <source>désactiver un compte (jamais supprimé : le journal le nomme)</source>
        <translation>disable an account (never deleted: the audit trail names it)</translation>
    </message>
    <message>
        <source>changer un PIN (le sien, ou celui d&apos;un autre pour le titulaire)</source>
        <translation>change a PIN (your own, or anyone&apos;s for the pharmacist-owner)</translation>
    </message>
    <message>
        <source>attribuer un badge (code lu sans écho) ou le retirer</source>
        <translation>give a badge (code read without echo) or take it back</translation>
    </message>
    <message>
        <source>retirer le badge</source>
        <translation>take the badge back</translation>
    </message>
    <message>
        <source>votre identifiant (votre PIN est demandé)</source>
        <translation>your user id (your PIN is asked)</translation>
    </message>
    <message>
        <source>pharmacien titulaire</source>
        <translation>pharmacist-owner</translation>
    </message>
    <message>
        <source>pharmacien adjoint</source>
        <translation>assistant pharmacist</translation>
    </message>
    <message>
        <source>préparateur</source>
        <translation>pharmacy technician</translation>
    </message>
    <message>
        <source>étudiant en pharmacie</source>
        <translation>pharmacy student</translation>
    </message>
    <message>
        <source>actif</source>
        <translation>active</translation>
    </message>
    <message>
        <source>désactivé le {day}</source>
        <translation>disabled on {day}</translation>
    </message>
    <message>
        <source>désactivé</source>
        <translation>disabled</translation>
    </message>
    <message>
        <source>badge</source>
        <translation>badge</translation>
    </message>
    <message>
        <source>verrouillé jusqu&apos;à {time}</source>
        <translation>locked until {time}</translation>
    </message>
    <message>
        <source>Aucun utilisateur : comptoir server init crée le premier pharmacien titulaire.</source>
        <translation>No user: comptoir server init creates the first pharmacist-owner.</translation>
    </message>
    <message>
        <source>Code du badge (passez-le devant le lecteur) : </source>
        <translation>Badge code (pass it in front of the reader): </translation>
    </message>
    <message>
        <source>Code du badge</source>
        <translation>Badge code</translation>
    </message>
    <message>
        <source>Utilisateur n° {id} ajouté : {name}, {role} (avec badge).</source>
        <translation>User no. {id} added: {name}, {role} (with a badge).</translation>
    </message>
    <message>
        <source>Utilisateur n° {id} ajouté : {name}, {role}.</source>
        <translation>User no. {id} added: {name}, {role}.</translation>
    </message>
    <message>
        <source>Compte n° {id} ({name}) désactivé.</source>
        <translation>Account no. {id} ({name}) disabled.</translation>
    </message>
    <message>
        <source>Nouveau PIN de {name} (4 à 12 chiffres) : </source>
        <translation>New PIN of {name} (4 to 12 digits): </translation>
    </message>
    <message>
        <source>PIN de {name} changé.</source>
        <translation>PIN of {name} changed.</translation>
    </message>
    <message>
        <source>Badge de {name} retiré.</source>
        <translation>Badge of {name} taken back.</translation>
    </message>
    <message>
        <source>Badge de {name} enregistré.</source>
        <translation>Badge of {name} saved.</translation>
    </message>
    <message>
        <source>Boîte périmée (expiration %1) : ne la délivrez pas.</source>
        <translation>Expired box (expiry %1): do not hand it over.</translation>
    </message>
    <message>
        <source>Boîte déjà scannée (numéro de série %1).</source>
        <translation>Box already scanned (serial number %1).</translation>
    </message>
    <message>
        <source>Cette boîte (CIP %1) ne correspond à aucune ligne de l&apos;ordonnance.</source>
        <translation>This box (CIP %1) matches no line of the prescription.</translation>
    </message>
    <message>
        <source>Une boîte de trop : %1 prévue(s) pour « %2 », toutes scannées.</source>
        <translation>One box too many: %1 planned for “%2”, all scanned.</translation>
    </message>
    <message>
        <source>Ce produit n&apos;est pas celui prescrit : choisissez-le et indiquez le motif.</source>
        <translation>This product is not the prescribed one: choose it and give the reason.</translation>
    </message>
    <message>
        <source>La facture est déjà établie : plus de boîte à scanner.</source>
        <translation>The bill is already made: no more boxes to scan.</translation>
    </message>
    <message>
        <source>%1 jour</source>
        <translation>%1 day</translation>
    </message>
    <message>
        <source>%1 jours</source>
        <translation>%1 days</translation>
    </message>
    <message>
        <source>%1 semaine</source>
        <translation>%1 week</translation>
    </message>
    <message>
        <source>%1 semaines</source>
        <translation>%1 weeks</translation>
    </message>
    <message>
        <source>%1 mois</source>
        <translation>%1 month</translation>
    </message>
    <message>
        <source>%1 mois</source>
        <comment>plural</comment>
        <translation>%1 months</translation>
    </message>
    <message>
        <source>%1 an</source>
        <translation>%1 year</translation>
    </message>
    <message>
        <source>%1 ans</source>
        <translation>%1 years</translation>
    </message>
    <message>
        <source>%1 heure</source>
        <translation>%1 hour</translation>
    </message>
    <message>
        <source>%1 heures</source>
        <translation>%1 hours</translation>
    </message>
    <message>
        <source>%1 minute</source>
        <translation>%1 minute</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 minutes</translation>
    </message>
    <message>
        <source>Honoraire de dispensation au conditionnement</source>
        <translation>Dispensing fee per pack</translation>
    </message>
    <message>
        <source>Honoraire de dispensation au conditionnement trimestriel</source>
        <translation>Dispensing fee per three-month pack</translation>
    </message>
    <message>
        <source>Honoraire de dispensation pour l&apos;exécution d&apos;une ordonnance de médicaments remboursables</source>
        <translation>Dispensing fee for a prescription of reimbursable medicines</translation>
    </message>
    <message>
        <source>Honoraire de dispensation lié à l&apos;âge du patient</source>
        <translation>Dispensing fee for the patient&apos;s age</translation>
    </message>
    <message>
        <source>Honoraire de dispensation particulière (médicaments spécifiques)</source>
        <translation>Dispensing fee for specific medicines</translation>
    </message>
    <message>
        <source>Honoraire de dispensation pour ordonnance complexe</source>
        <translation>Dispensing fee for a complex prescription</translation>
    </message>
    <message>
        <source>« %1 » : ligne %2.</source>
        <translation>“%1”: line %2.</translation>
    </message>
    <message>
        <source>« %1 » : produit changé sans motif d&apos;adaptation.</source>
        <translation>“%1”: product changed without an adjustment reason.</translation>
    </message>
    <message>
        <source>« %1 » : prix inconnu, saisissez-le.</source>
        <translation>“%1”: price unknown, enter it.</translation>
    </message>
    <message>
        <source>Aucune ligne délivrée.</source>
        <translation>No line dispensed.</translation>
    </message>
    <message>
        <source> (dont honoraire %1)</source>
        <translation> (including fee %1)</translation>
    </message>
    <message>
        <source>Ordonnance n° %1 ouverte sur le poste « %2 » par %3 depuis %4 : consultation seule</source>
        <translation>Prescription no. %1 is open on workstation “%2” by %3 since %4: read-only</translation>
    </message>
    <message>
        <source>Ordonnance n° %1 ouverte sur le poste « %2 » depuis %4 : consultation seule</source>
        <translation>Prescription no. %1 is open on workstation “%2” since %4: read-only</translation>
    </message>
    <message>
        <source>fichier de réglages (TOML) ; par défaut : le dossier de configuration du système</source>
        <translation>settings file (TOML); default: the system&apos;s configuration folder</translation>
    </message>
    <message>
        <source>URL SQLAlchemy de la base de données (prioritaire sur les réglages)</source>
        <translation>SQLAlchemy URL of the database (overrides the settings)</translation>
    </message>
    <message>
        <source>langue des messages (par défaut : réglage ui.language)</source>
        <translation>language of the messages (default: setting ui.language)</translation>
    </message>
    <message>
        <source>afficher cette aide et quitter</source>
        <translation>show this help message and exit</translation>
    </message>
    <message>
        <source>Comptoir — comptoir de pharmacie</source>
        <translation>Comptoir — pharmacy counter</translation>
    </message>
    <message>
        <source>journal non écrit ({file} : {error}) ; la commande continue</source>
        <translation>log not written ({file}: {error}); the command goes on</translation>
    </message>
    <message>
        <source>le rapport est dans {path}</source>
        <translation>the report is in {path}</translation>
    </message>
    <message>
        <source>aucun rapport n&apos;a pu être écrit</source>
        <translation>no report could be written</translation>
    </message>
    <message>
        <source>erreur inattendue ({error}) : la commande n&apos;a pas abouti ; {where}</source>
        <translation>unexpected error ({error}): the command did not complete; {where}</translation>
    </message>
    <message>
        <source>journal d&apos;audit : qui a fait quoi, où et quand (verify : l&apos;intégrité)</source>
        <translation>audit trail: who did what, where and when (verify: its integrity)</translation>
    </message>
    <message>
        <source>premier jour</source>
        <translation>first day</translation>
    </message>
    <message>
        <source>dernier jour</source>
        <translation>last day</translation>
    </message>
    <message>
        <source>un utilisateur (comptoir users list)</source>
        <translation>one user (comptoir users list)</translation>
    </message>
    <message>
        <source>une action : {actions}</source>
        <translation>one action: {actions}</translation>
    </message>
    <message>
        <source>sortie JSON (une entrée par ligne)</source>
        <translation>JSON output (one entry per line)</translation>
    </message>
    <message>
        <source>vérifier le journal (numérotation, liens, sceaux) : nomme la première rupture</source>
        <translation>check the trail (numbering, links, seals): names the first break</translation>
    </message>
    <message>
        <source>objet {ref}</source>
        <translation>object {ref}</translation>
    </message>
    <message>
        <source>Aucune entrée.</source>
        <translation>No entry.</translation>
    </message>
    <message>
        <source>aussi : {reason}</source>
        <translation>also: {reason}</translation>
    </message>
    <message>
        <source>catalogue des médicaments (BDPM)</source>
        <translation>drug catalogue (BDPM)</translation>
    </message>
    <message>
        <source>URL SQLAlchemy de la base</source>
        <translation>SQLAlchemy URL of the database</translation>
    </message>
    <message>
        <source>importer ou mettre à jour depuis un dossier de fichiers ANSM</source>
        <translation>import or update from a folder of ANSM files</translation>
    </message>
    <message>
        <source>nom de la version (par défaut : le nom du dossier)</source>
        <translation>name of the release (default: the folder&apos;s name)</translation>
    </message>
    <message>
        <source>télécharger la version courante de la BDPM (ANSM), montrer ce qu&apos;elle change, l&apos;appliquer</source>
        <translation>download the current BDPM release (ANSM), show what it changes, apply it</translation>
    </message>
    <message>
        <source>adresse sous laquelle chaque fichier est trouvé par son nom BDPM (CIS_bdpm.txt…), ou dossier local ; par défaut le réglage [catalogue] base_url (ANSM)</source>
        <translation>address under which each file is found by its BDPM name (CIS_bdpm.txt…), or a local folder; default: the setting [catalogue] base_url (ANSM)</translation>
    </message>
    <message>
        <source>appliquer sans demander de confirmation</source>
        <translation>apply without asking for confirmation</translation>
    </message>
    <message>
        <source>chercher par CIP13, CIP7, CIS ou nom</source>
        <translation>search by CIP13, CIP7, CIS or name</translation>
    </message>
    <message>
        <source>sortie JSON</source>
        <translation>JSON output</translation>
    </message>
    <message>
        <source>au plus N présentations (défaut : 50)</source>
        <translation>at most N presentations (default: 50)</translation>
    </message>
    <message>
        <source>groupe générique d&apos;un CIP13 ou d&apos;un CIS</source>
        <translation>generic group of a CIP13 or a CIS</translation>
    </message>
    <message>
        <source>accepter une mise à jour qui retire plus de {percent} %% du catalogue en place</source>
        <translation>accept an update that withdraws more than {percent} %% of the current catalogue</translation>
    </message>
    <message>
        <source>Base de données inaccessible : {url}</source>
        <translation>Database out of reach: {url}</translation>
    </message>
    <message>
        <source>prix {cip13} {name} : {old} → {new} €</source>
        <translation>price {cip13} {name}: {old} → {new} €</translation>
    </message>
    <message>
        <source>Source : {source}</source>
        <translation>Source: {source}</translation>
    </message>
    <message>
        <source>Absents de cette version (données actuelles conservées) : {files}</source>
        <translation>Missing from this release (current data kept): {files}</translation>
    </message>
    <message>
        <source>Appliquer cette mise à jour ? [o/N] </source>
        <translation>Apply this update? [y/N] </translation>
    </message>
    <message>
        <source>Mise à jour abandonnée : rien n&apos;a été modifié.</source>
        <translation>Update abandoned: nothing was changed.</translation>
    </message>
    <message>
        <source>non commercialisé</source>
        <translation>not marketed</translation>
    </message>
    <message>
        <source>Recherche vide : tapez un code (CIP13, CIP7, CIS) ou un nom</source>
        <translation>Empty search: type a code (CIP13, CIP7, CIS) or a name</translation>
    </message>
    <message>
        <source>--limit doit être au moins 1</source>
        <translation>--limit must be at least 1</translation>
    </message>
    <message>
        <source>Aucune présentation ne correspond à « {query} »</source>
        <translation>No presentation matches “{query}”</translation>
    </message>
    <message>
        <source>Aucun groupe générique pour « {code} »</source>
        <translation>No generic group for “{code}”</translation>
    </message>
    <message>
        <source>Groupe {id} : {label}</source>
        <translation>Group {id}: {label}</translation>
    </message>
    <message>
        <source>Princeps :</source>
        <translation>Originator (princeps):</translation>
    </message>
    <message>
        <source>Génériques :</source>
        <translation>Generics:</translation>
    </message>
    <message>
        <source>(spécialité absente de la base)</source>
        <translation>(speciality missing from the database)</translation>
    </message>
    <message>
        <source>Aucun trousseau système (keyring) n&apos;est disponible sur cette machine : le jeton n&apos;a pas été enregistré. Autre solution : définissez la variable d&apos;environnement COMPTOIR_SERVICE_TOKEN pour la session qui lance Comptoir (jamais dans le fichier de réglages).</source>
        <translation>No system keyring is available on this machine: the token was not saved. Another way: set the environment variable COMPTOIR_SERVICE_TOKEN for the session that starts Comptoir (never in the settings file).</translation>
    </message>
    <message>
        <source>réglages et jeton du service</source>
        <translation>settings and the service&apos;s token</translation>
    </message>
    <message>
        <source>enregistrer le jeton du service dans le trousseau (lu sur l&apos;entrée standard ou saisi sans écho)</source>
        <translation>save the service&apos;s token in the keyring (read from standard input or typed without echo)</translation>
    </message>
    <message>
        <source>réglages en vigueur et leur origine</source>
        <translation>settings in force and where they come from</translation>
    </message>
    <message>
        <source>chemin du fichier de réglages</source>
        <translation>path of the settings file</translation>
    </message>
    <message>
        <source>Jeton du service (saisie masquée) : </source>
        <translation>Service token (hidden input): </translation>
    </message>
    <message>
        <source>Jeton vide : rien n&apos;a été enregistré</source>
        <translation>Empty token: nothing was saved</translation>
    </message>
    <message>
        <source>Jeton invalide : il ne doit contenir ni espace ni retour à la ligne</source>
        <translation>Invalid token: it must contain no space and no line break</translation>
    </message>
    <message>
        <source>Jeton enregistré dans le trousseau du système (entrée {entry}).</source>
        <translation>Token saved in the system keyring (entry {entry}).</translation>
    </message>
    <message>
        <source>Attention : COMPTOIR_SERVICE_TOKEN est défini et reste prioritaire sur le trousseau.</source>
        <translation>Warning: COMPTOIR_SERVICE_TOKEN is set and still takes precedence over the keyring.</translation>
    </message>
    <message>
        <source>fichier {file}</source>
        <translation>file {file}</translation>
    </message>
    <message>
        <source>ligne de commande (--db)</source>
        <translation>command line (--db)</translation>
    </message>
    <message>
        <source>ligne de commande (--lang)</source>
        <translation>command line (--lang)</translation>
    </message>
    <message>
        <source>présent (COMPTOIR_SERVICE_TOKEN)</source>
        <translation>present (COMPTOIR_SERVICE_TOKEN)</translation>
    </message>
    <message>
        <source>absent (aucun trousseau système : utilisez COMPTOIR_SERVICE_TOKEN)</source>
        <translation>missing (no system keyring: use COMPTOIR_SERVICE_TOKEN)</translation>
    </message>
    <message>
        <source>présent (trousseau, entrée {ref})</source>
        <translation>present (keyring, entry {ref})</translation>
    </message>
    <message>
        <source>absent (trousseau, entrée {ref})</source>
        <translation>missing (keyring, entry {ref})</translation>
    </message>
    <message>
        <source>fichier de réglages : {file}</source>
        <translation>settings file: {file}</translation>
    </message>
    <message>
        <source>fichier de réglages : {file} (absent)</source>
        <translation>settings file: {file} (missing)</translation>
    </message>
    <message>
        <source>données : {folder}</source>
        <translation>data: {folder}</translation>
    </message>
    <message>
        <source>journal : {folder}</source>
        <translation>log: {folder}</translation>
    </message>
    <message>
        <source>défaut</source>
        <translation>default</translation>
    </message>
    <message>
        <source>(par défaut)</source>
        <translation>(default)</translation>
    </message>
    <message>
        <source>décoder les codes-barres d&apos;images ou de vidéos</source>
        <translation>decode the barcodes of images or videos</translation>
    </message>
    <message>
        <source>image(s), vidéo(s) ou dossier(s) qui en contiennent</source>
        <translation>image(s), video file(s) or folder(s) of them</translation>
    </message>
    <message>
        <source>décodeur (défaut : le réglage du lecteur, zxing)</source>
        <translation>decoder (default: the scanner setting, zxing)</translation>
    </message>
    <message>
        <source>un objet JSON par code lu</source>
        <translation>one JSON object per symbol read</translation>
    </message>
    <message>
        <source>Dossier illisible : « {folder} » ({error})</source>
        <translation>Unreadable folder: “{folder}” ({error})</translation>
    </message>
    <message>
        <source>Dossier sans image ni vidéo : « {folder} »</source>
        <translation>Folder without any image or video: “{folder}”</translation>
    </message>
    <message>
        <source>« {file} » : lecture impossible ({error}), détails dans le journal</source>
        <translation>“{file}”: could not be read ({error}), details in the log</translation>
    </message>
    <message>
        <source>{file} : image impossible à décoder ({error}), détails dans le journal</source>
        <translation>{file}: image could not be decoded ({error}), details in the log</translation>
    </message>
    <message>
        <source>démonstration : service bac à sable, ordonnances d&apos;exemple, comptoir</source>
        <translation>demonstration: sandbox service, sample prescriptions, counter</translation>
    </message>
    <message>
        <source>préparer le service et les PDF sans ouvrir le comptoir</source>
        <translation>prepare the service and the PDFs without opening the counter</translation>
    </message>
    <message>
        <source>port souhaité du service (défaut 8787)</source>
        <translation>wished port of the service (default 8787)</translation>
    </message>
    <message>
        <source>2 : un comptoir et un poste de préparation sur la même base (l&apos;équipe)</source>
        <translation>2: a counter and a preparation workstation on the same database (the team)</translation>
    </message>
    <message>
        <source>Aucun port libre pour le service bac à sable</source>
        <translation>No free port for the sandbox service</translation>
    </message>
    <message>
        <source>Le service bac à sable n&apos;a pas démarré (voir {file})</source>
        <translation>The sandbox service did not start (see {file})</translation>
    </message>
    <message>
        <source>Le service bac à sable ne répond pas (voir {file})</source>
        <translation>The sandbox service does not answer (see {file})</translation>
    </message>
    <message>
        <source>Ordonnance de démonstration {name} créée ({number}) mais illisible en retour ({error})</source>
        <translation>Demo prescription {name} created ({number}) but unreadable when read back ({error})</translation>
    </message>
    <message>
        <source>Équipe : connectez-vous avec les utilisateurs de cette base (comptoir users list).</source>
        <translation>Team: sign in with the users of this database (comptoir users list).</translation>
    </message>
    <message>
        <source>Équipe de démonstration créée :</source>
        <translation>Demo team created:</translation>
    </message>
    <message>
        <source>{name} (pharmacien titulaire) : PIN {pin}</source>
        <translation>{name} (pharmacist-owner): PIN {pin}</translation>
    </message>
    <message>
        <source>{name} (préparateur) : PIN {pin}</source>
        <translation>{name} (pharmacy technician): PIN {pin}</translation>
    </message>
    <message>
        <source>Service bac à sable : {url}</source>
        <translation>Sandbox service: {url}</translation>
    </message>
    <message>
        <source>Ordonnances de démonstration (PDF avec QR code) : {folder}</source>
        <translation>Demo prescriptions (PDF with QR code): {folder}</translation>
    </message>
    <message>
        <source>ouvrir le comptoir (par défaut)</source>
        <translation>open the counter (the default)</translation>
    </message>
    <message>
        <source>poste de comptoir ou de préparation (défaut : réglage workstation.mode)</source>
        <translation>counter or preparation workstation (default: setting workstation.mode)</translation>
    </message>
    <message>
        <source>date invalide « {text} » (AAAA-MM-JJ ou JJ/MM/AAAA attendu)</source>
        <translation>invalid date “{text}” (YYYY-MM-DD or DD/MM/YYYY expected)</translation>
    </message>
    <message>
        <source>registre des délivrances (vérifier, exporter)</source>
        <translation>dispensing register (check, export)</translation>
    </message>
    <message>
        <source>vérifier l&apos;intégrité du registre (sceaux, clôtures, ancrage, archive, file d&apos;envoi)</source>
        <translation>check the register&apos;s integrity (seals, closings, anchoring, archive, send queue)</translation>
    </message>
    <message>
        <source>FICHIER.csv</source>
        <translation>FILE.csv</translation>
    </message>
    <message>
        <source>comparer aussi avec un export CSV antérieur (répétable)</source>
        <translation>also compare with an earlier CSV export (repeatable)</translation>
    </message>
    <message>
        <source>clôturer les journées (tête du registre scellée, copiée dans le fichier d&apos;ancrage)</source>
        <translation>close the days (the register&apos;s head sealed, copied into the anchor file)</translation>
    </message>
    <message>
        <source>dernier jour à clôturer (défaut : aujourd&apos;hui)</source>
        <translation>last day to close (default: today)</translation>
    </message>
    <message>
        <source>clé du registre : la transmettre aux autres postes de la pharmacie</source>
        <translation>the register&apos;s key: hand it to the pharmacy&apos;s other workstations</translation>
    </message>
    <message>
        <source>écrire la clé sur la sortie standard</source>
        <translation>write the key on standard output</translation>
    </message>
    <message>
        <source>enregistrer la clé sur ce poste (lue sur l&apos;entrée standard ou saisie sans écho)</source>
        <translation>save the key on this workstation (read from standard input or typed without echo)</translation>
    </message>
    <message>
        <source>exporter une période (contrôle)</source>
        <translation>export a period (inspection)</translation>
    </message>
    <message>
        <source>registre en PDF</source>
        <translation>register as PDF</translation>
    </message>
    <message>
        <source>FICHIER</source>
        <translation>FILE</translation>
    </message>
    <message>
        <source>registre en CSV (sortie standard par défaut)</source>
        <translation>register as CSV (standard output by default)</translation>
    </message>
    <message>
        <source>exporter le registre des stupéfiants d&apos;une période (délivrances de stupéfiants, porteur)</source>
        <translation>export the narcotics register of a period (narcotic dispensings, bearer)</translation>
    </message>
    <message>
        <source>rectifier une écriture (nouvelle écriture, jamais une modification)</source>
        <translation>correct an entry (a new entry, never a change)</translation>
    </message>
    <message>
        <source>numéro de l&apos;écriture à rectifier</source>
        <translation>number of the entry to correct</translation>
    </message>
    <message>
        <source>NUMERO</source>
        <translation>NUMBER</translation>
    </message>
    <message>
        <source>motif de la rectification</source>
        <translation>reason for the correction</translation>
    </message>
    <message>
        <source>MOTIF</source>
        <translation>REASON</translation>
    </message>
    <message>
        <source>quantité exacte (0 : annulation)</source>
        <translation>exact quantity (0: cancellation)</translation>
    </message>
    <message>
        <source>produit réellement délivré (nom repris du catalogue, sinon --product)</source>
        <translation>product actually dispensed (name taken from the catalogue, else --product)</translation>
    </message>
    <message>
        <source>nom du produit réellement délivré</source>
        <translation>name of the product actually dispensed</translation>
    </message>
    <message>
        <source>NOM</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>réimprimer une délivrance archivée</source>
        <translation>reprint an archived dispensing</translation>
    </message>
    <message>
        <source>numéro de l&apos;ordonnance</source>
        <translation>number of the prescription</translation>
    </message>
    <message>
        <source>fichier PDF à écrire</source>
        <translation>PDF file to write</translation>
    </message>
    <message>
        <source>FICHIER.pdf</source>
        <translation>FILE.pdf</translation>
    </message>
    <message>
        <source>délivrance de ce jour (sinon la dernière)</source>
        <translation>the dispensing of this day (else the last one)</translation>
    </message>
    <message>
        <source>mentions à imprimer sur l&apos;ordonnance papier au lieu de la copie A4</source>
        <translation>notes to print on the paper prescription instead of the A4 copy</translation>
    </message>
    <message>
        <source>page d&apos;étalonnage de l&apos;impression sur l&apos;ordonnance</source>
        <translation>calibration page for printing on the prescription</translation>
    </message>
    <message>
        <source>retrouver des délivrances archivées (numéro, patient, date)</source>
        <translation>find archived dispensings (number, patient, date)</translation>
    </message>
    <message>
        <source>nom du patient (majuscules et accents indifférents)</source>
        <translation>patient&apos;s name (case and accents ignored)</translation>
    </message>
    <message>
        <source>jour de la délivrance</source>
        <translation>day of the dispensing</translation>
    </message>
    <message>
        <source>Base de données inaccessible ou refusée</source>
        <translation>Database out of reach or refused</translation>
    </message>
    <message>
        <source>écriture n° {number} du {day}</source>
        <translation>entry no. {number} of {day}</translation>
    </message>
    <message>
        <source>écriture n° {number}</source>
        <translation>entry no. {number}</translation>
    </message>
    <message numerus="yes">
        <source>(%n écriture(s) intègre(s) avant elle).</source>
        <translation>
            <numerusform>(%n intact entry before it).</numerusform>
            <numerusform>(%n intact entries before it).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ordonnancier intègre : %n écriture(s) vérifiée(s).</source>
        <translation>
            <numerusform>Register intact: %n entry checked.</numerusform>
            <numerusform>Register intact: %n entries checked.</numerusform>
        </translation>
    </message>
    <message>
        <source>Comparé avec : {notes}.</source>
        <translation>Compared with: {notes}.</translation>
    </message>
    <message>
        <source>Ordonnancier altéré : {finding}</source>
        <translation>Register altered: {finding}</translation>
    </message>
    <message>
        <source>aussi : {finding}</source>
        <translation>also: {finding}</translation>
    </message>
    <message>
        <source>Rien à clôturer : aucune écriture nouvelle depuis la dernière clôture.</source>
        <translation>Nothing to close: no new entry since the last closing.</translation>
    </message>
    <message>
        <source>Journée du {day} clôturée : dernière écriture n° {number}, sceau {seal} (copié dans {file}).</source>
        <translation>Day {day} closed: last entry no. {number}, seal {seal} (copied into {file}).</translation>
    </message>
    <message>
        <source>Ordonnancier altéré : le point de départ de la clé a disparu (comptoir ordonnancier verify)</source>
        <translation>Register altered: the key&apos;s starting point is gone (comptoir ordonnancier verify)</translation>
    </message>
    <message>
        <source>Le registre n&apos;a pas encore de clé : elle est créée à la première délivrance inscrite ; exportez-la ensuite depuis ce poste-là</source>
        <translation>The register has no key yet: it is created with the first dispensing recorded; then export it from that workstation</translation>
    </message>
    <message>
        <source>Clé du registre : importez-la sur chaque poste de la pharmacie (comptoir ordonnancier key import) puis effacez toute copie ; qui la détient avec la base peut resceller le registre.</source>
        <translation>Register key: import it on each workstation of the pharmacy (comptoir ordonnancier key import), then erase every copy; whoever holds it with the database can reseal the register.</translation>
    </message>
    <message>
        <source>Clé du registre (saisie masquée) : </source>
        <translation>Register key (hidden input): </translation>
    </message>
    <message>
        <source>Cette clé ({key}) n&apos;est pas celle du registre de cette base ({register}) : rien n&apos;a été enregistré</source>
        <translation>This key ({key}) is not the one of this database&apos;s register ({register}): nothing was saved</translation>
    </message>
    <message>
        <source>Clé du registre enregistrée sur ce poste : {file}.</source>
        <translation>Register key saved on this workstation: {file}.</translation>
    </message>
    <message>
        <source>Impossible d&apos;écrire {file} : {error}</source>
        <translation>Could not write {file}: {error}</translation>
    </message>
    <message>
        <source>Attention : non tracé dans le journal d&apos;audit ({error})</source>
        <translation>Warning: not traced in the audit trail ({error})</translation>
    </message>
    <message numerus="yes">
        <source>%n écriture(s) de stupéfiant exportée(s) en {format} : {file}</source>
        <translation>
            <numerusform>%n narcotic entry exported as {format}: {file}</numerusform>
            <numerusform>%n narcotic entries exported as {format}: {file}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n écriture(s) exportée(s) en {format} : {file}</source>
        <translation>
            <numerusform>%n entry exported as {format}: {file}</numerusform>
            <numerusform>%n entries exported as {format}: {file}</numerusform>
        </translation>
    </message>
    <message>
        <source>Aucune délivrance archivée pour l&apos;ordonnance n° {number} le {day}</source>
        <translation>No archived dispensing for prescription no. {number} on {day}</translation>
    </message>
    <message>
        <source>Aucune délivrance archivée pour l&apos;ordonnance n° {number}</source>
        <translation>No archived dispensing for prescription no. {number}</translation>
    </message>
    <message numerus="yes">
        <source>(%n autre(s) délivrance(s) de cette ordonnance : --date)</source>
        <translation>
            <numerusform>(%n other dispensing of this prescription: --date)</numerusform>
            <numerusform>(%n other dispensings of this prescription: --date)</numerusform>
        </translation>
    </message>
    <message>
        <source>Délivrance du {day} réimprimée : {file}</source>
        <translation>Dispensing of {day} reprinted: {file}</translation>
    </message>
    <message>
        <source>Indiquez au moins un critère : --number, --patient ou --date</source>
        <translation>Give at least one criterion: --number, --patient or --date</translation>
    </message>
    <message>
        <source>Aucune délivrance trouvée.</source>
        <translation>No dispensing found.</translation>
    </message>
    <message>
        <source>Page d&apos;étalonnage ({paper}) : {file}</source>
        <translation>Calibration page ({paper}): {file}</translation>
    </message>
    <message>
        <source>Rectification refusée : catalogue non importé, le CIP13 {cip13} ne peut pas être vérifié ; indiquez le nom du produit avec --product</source>
        <translation>Correction refused: catalogue not imported, the CIP13 {cip13} cannot be checked; give the product&apos;s name with --product</translation>
    </message>
    <message>
        <source>Rectification refusée : CIP13 {cip13} inconnu du catalogue ; vérifiez le code ou indiquez le nom du produit avec --product</source>
        <translation>Correction refused: CIP13 {cip13} unknown to the catalogue; check the code or give the product&apos;s name with --product</translation>
    </message>
    <message>
        <source>Écriture n° {number} inscrite : rectifie le n° {corrected}.</source>
        <translation>Entry no. {number} recorded: corrects no. {corrected}.</translation>
    </message>
    <message>
        <source>délivrances en attente de transmission au service</source>
        <translation>dispensings waiting to be sent to the service</translation>
    </message>
    <message>
        <source>transmettre maintenant toutes les délivrances en attente</source>
        <translation>send every waiting dispensing now</translation>
    </message>
    <message>
        <source>remettre en file une délivrance mise de côté (refusée, ou après trop de tentatives)</source>
        <translation>queue again a dispensing put aside (refused, or after too many attempts)</translation>
    </message>
    <message>
        <source>depuis le {when}</source>
        <translation>since {when}</translation>
    </message>
    <message>
        <source>date inconnue</source>
        <translation>date unknown</translation>
    </message>
    <message>
        <source>mise de côté</source>
        <translation>put aside</translation>
    </message>
    <message numerus="yes">
        <source>en attente (%n tentatives)</source>
        <translation>
            <numerusform>waiting (%n attempt)</numerusform>
            <numerusform>waiting (%n attempts)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>en attente (%n tentative)</source>
        <translation>
            <numerusform>waiting (%n attempt)</numerusform>
            <numerusform>waiting (%n attempts)</numerusform>
        </translation>
    </message>
    <message>
        <source>dernière erreur : {error}</source>
        <translation>last error: {error}</translation>
    </message>
    <message>
        <source>Aucune délivrance mise de côté n&apos;a l&apos;identifiant {id}.</source>
        <translation>No dispensing put aside has the id {id}.</translation>
    </message>
    <message>
        <source>Délivrance {id} remise en file.</source>
        <translation>Dispensing {id} queued again.</translation>
    </message>
    <message>
        <source>Transmises : {count}</source>
        <translation>Sent: {count}</translation>
    </message>
    <message>
        <source>En attente : {count}</source>
        <translation>Waiting: {count}</translation>
    </message>
    <message>
        <source>Mises de côté : {count}</source>
        <translation>Put aside: {count}</translation>
    </message>
    <message>
        <source>prescrire dans le bac à sable et imprimer l&apos;ordonnance (PDF)</source>
        <translation>prescribe in the sandbox and print the prescription (PDF)</translation>
    </message>
    <message>
        <source>Bundle FHIR de la prescription (JSON)</source>
        <translation>FHIR Bundle of the prescription (JSON)</translation>
    </message>
    <message>
        <source>PDF à écrire (défaut : ordonnance.pdf)</source>
        <translation>PDF to write (default: ordonnance.pdf)</translation>
    </message>
    <message>
        <source>format du papier (défaut : A4)</source>
        <translation>paper size (default: A4)</translation>
    </message>
    <message>
        <source>--out {file} est un dossier : indiquez le fichier PDF à écrire ; rien n&apos;a été prescrit</source>
        <translation>--out {file} is a folder: give the PDF file to write; nothing was prescribed</translation>
    </message>
    <message>
        <source>Impossible d&apos;écrire l&apos;ordonnance dans {file} ({error}) ; rien n&apos;a été prescrit</source>
        <translation>Could not write the prescription to {file} ({error}); nothing was prescribed</translation>
    </message>
    <message>
        <source>Ordonnance {number} créée dans le bac à sable, mais son accusé de réception est illisible ({error}) : notez ce numéro ; aucun PDF écrit</source>
        <translation>Prescription {number} created in the sandbox, but its acknowledgement is unreadable ({error}): note this number; no PDF written</translation>
    </message>
    <message>
        <source>Ordonnance {number} créée dans le bac à sable, mais son PDF n&apos;a pas pu être écrit dans {file} ({error}) : notez ce numéro</source>
        <translation>Prescription {number} created in the sandbox, but its PDF could not be written to {file} ({error}): note this number</translation>
    </message>
    <message>
        <source>ce que le comptoir proposerait pour une ordonnance (rien n&apos;est réservé ni enregistré)</source>
        <translation>what the counter would propose for a prescription (nothing is claimed or recorded)</translation>
    </message>
    <message>
        <source>Bundle FHIR d&apos;un prescripteur, ou numéro d&apos;ordonnance</source>
        <translation>a prescriber&apos;s FHIR Bundle, or a prescription number</translation>
    </message>
    <message>
        <source>jour de la délivrance (AAAA-MM-JJ ; aujourd&apos;hui par défaut)</source>
        <translation>day of the dispensing (YYYY-MM-DD; today by default)</translation>
    </message>
    <message>
        <source>un objet JSON sur la sortie standard</source>
        <translation>one JSON object on standard output</translation>
    </message>
    <message>
        <source>FILE : garder les dates du fichier (sinon, l&apos;ordonnance est datée d&apos;aujourd&apos;hui)</source>
        <translation>FILE: keep the file&apos;s dates (else the prescription is dated today)</translation>
    </message>
    <message>
        <source>date invalide « {text} » (AAAA-MM-JJ attendu)</source>
        <translation>invalid date “{text}” (YYYY-MM-DD expected)</translation>
    </message>
    <message>
        <source>{file} : Bundle FHIR de forme inattendue</source>
        <translation>{file}: FHIR Bundle of unexpected shape</translation>
    </message>
    <message>
        <source>Ligne {line} : </source>
        <translation>Line {line}: </translation>
    </message>
    <message>
        <source>déjà entièrement délivrée</source>
        <translation>already fully dispensed</translation>
    </message>
    <message>
        <source>hors de cette délivrance (voir les notes)</source>
        <translation>out of this dispensing (see the notes)</translation>
    </message>
    <message>
        <source>aucun produit trouvé dans la base des médicaments</source>
        <translation>no product found in the drug database</translation>
    </message>
    <message>
        <source>{days} jours de traitement</source>
        <translation>{days} days of treatment</translation>
    </message>
    <message>
        <source>pourquoi : {why}</source>
        <translation>why: {why}</translation>
    </message>
    <message>
        <source>autres produits : {count} ({names})</source>
        <translation>other products: {count} ({names})</translation>
    </message>
    <message>
        <source>Note : {notice}</source>
        <translation>Note: {notice}</translation>
    </message>
    <message>
        <source>Total : {total} € (part assurance maladie {amo} €)</source>
        <translation>Total: {total} € (health insurance share {amo} €)</translation>
    </message>
    <message>
        <source>votre identifiant (votre PIN est demandé) ; obligatoire dès que la pharmacie a des utilisateurs</source>
        <translation>your user id (your PIN is asked); required once the pharmacy has users</translation>
    </message>
    <message>
        <source>Connexion requise : la pharmacie a des utilisateurs, indiquez le vôtre avec --as ID (votre PIN est demandé ; comptoir users list)</source>
        <translation>Sign-in required: the pharmacy has users, give yours with --as ID (your PIN is asked; comptoir users list)</translation>
    </message>
    <message>
        <source>Service bac à sable non installé : il faut l&apos;option « sandbox » (pip install &apos;comptoir[sandbox]&apos;, ou « make run » depuis les sources)</source>
        <translation>Sandbox service not installed: it needs the “sandbox” extra (pip install &apos;comptoir[sandbox]&apos;, or “make run” from the sources)</translation>
    </message>
    <message>
        <source>base du service bac à sable (défaut : sandbox.sqlite3 dans le dossier de données)</source>
        <translation>database of the sandbox service (default: sandbox.sqlite3 in the data folder)</translation>
    </message>
    <message>
        <source>--token n&apos;est plus accepté : un jeton passé en argument est visible de tout programme du poste (liste des processus, historique du shell). Donnez-le par la variable {variable} ou sur l&apos;entrée standard avec --token-stdin (sans l&apos;un ni l&apos;autre, un jeton est créé dans la base du service)</source>
        <translation>--token is no longer accepted: a token given as an argument is visible to every program of the workstation (process list, shell history). Give it in the variable {variable} or on standard input with --token-stdin (without either, a token is created in the service&apos;s database)</translation>
    </message>
    <message>
        <source>garder les dates du fichier (sinon l&apos;ordonnance est datée d&apos;aujourd&apos;hui)</source>
        <translation>keep the file&apos;s dates (else the prescription is dated today)</translation>
    </message>
    <message>
        <source>adresse du service (défaut : service.base_url des réglages)</source>
        <translation>address of the service (default: service.base_url of the settings)</translation>
    </message>
    <message>
        <source>lire le jeton prescripteur sur l&apos;entrée standard (ou la variable {variable} ; défaut : un jeton créé dans la base du service)</source>
        <translation>read the prescriber&apos;s token from standard input (or the variable {variable}; default: a token created in the service&apos;s database)</translation>
    </message>
    <message>
        <source>RPPS du prescripteur (défaut : démo)</source>
        <translation>prescriber&apos;s RPPS (default: demo)</translation>
    </message>
    <message>
        <source>service d&apos;ordonnance numérique de démonstration</source>
        <translation>demonstration e-prescription service</translation>
    </message>
    <message>
        <source>démarrer le service</source>
        <translation>start the service</translation>
    </message>
    <message>
        <source>adresse d&apos;écoute (défaut : 127.0.0.1)</source>
        <translation>address to listen on (default: 127.0.0.1)</translation>
    </message>
    <message>
        <source>port d&apos;écoute (défaut : 8787)</source>
        <translation>port to listen on (default: 8787)</translation>
    </message>
    <message>
        <source>certificat du serveur (HTTPS)</source>
        <translation>server certificate (HTTPS)</translation>
    </message>
    <message>
        <source>clé privée du serveur (HTTPS)</source>
        <translation>server private key (HTTPS)</translation>
    </message>
    <message>
        <source>exiger un certificat client signé par cette AC</source>
        <translation>require a client certificate signed by this CA</translation>
    </message>
    <message>
        <source>s&apos;arrêter quand l&apos;entrée standard se ferme (lancé par « comptoir demo »)</source>
        <translation>stop when standard input closes (started by “comptoir demo”)</translation>
    </message>
    <message>
        <source>N/UNITÉ</source>
        <translation>N/UNIT</translation>
    </message>
    <message>
        <source>requêtes permises par jeton (ex. 50/s, 600/min, off ; défaut : 2000/s), 429 au-delà</source>
        <translation>requests allowed per token (e.g. 50/s, 600/min, off; default: 2000/s), 429 beyond</translation>
    </message>
    <message>
        <source>créer un jeton d&apos;accès (affiché une seule fois)</source>
        <translation>create an access token (shown once)</translation>
    </message>
    <message>
        <source>FINESS de la pharmacie</source>
        <translation>FINESS of the pharmacy</translation>
    </message>
    <message>
        <source>RPPS du prescripteur</source>
        <translation>prescriber&apos;s RPPS</translation>
    </message>
    <message>
        <source>RPPS du pharmacien ou préparateur (avec --pharmacy)</source>
        <translation>RPPS of the pharmacist or pharmacy technician (with --pharmacy)</translation>
    </message>
    <message>
        <source>rôle du porteur (avec --pharmacy ; défaut : pharmacist)</source>
        <translation>role of the holder (with --pharmacy; default: pharmacist)</translation>
    </message>
    <message>
        <source>durée de validité en jours (défaut : {default}, au plus {most})</source>
        <translation>validity in days (default: {default}, at most {most})</translation>
    </message>
    <message>
        <source>révoquer un jeton (lu sur l&apos;entrée standard)</source>
        <translation>revoke a token (read from standard input)</translation>
    </message>
    <message>
        <source>déposer des ordonnances (fichier ou dossier de Bundles FHIR)</source>
        <translation>submit prescriptions (file or folder of FHIR Bundles)</translation>
    </message>
    <message>
        <source>HTTPS : --tls-cert et --tls-key sont requis ensemble</source>
        <translation>HTTPS: --tls-cert and --tls-key are required together</translation>
    </message>
    <message>
        <source>Fichier introuvable : {file}</source>
        <translation>File not found: {file}</translation>
    </message>
    <message>
        <source>Service bac à sable sur {url} (Ctrl+C pour arrêter)</source>
        <translation>Sandbox service on {url} (Ctrl+C to stop)</translation>
    </message>
    <message>
        <source>Limite par jeton : {limit}</source>
        <translation>Limit per token: {limit}</translation>
    </message>
    <message>
        <source>aucune</source>
        <translation>none</translation>
    </message>
    <message>
        <source>--days : durée de validité de 1 à {most} jours</source>
        <translation>--days: validity from 1 to {most} days</translation>
    </message>
    <message>
        <source>--rpps est requis avec --pharmacy (RPPS du pharmacien ou du préparateur)</source>
        <translation>--rpps is required with --pharmacy (RPPS of the pharmacist or pharmacy technician)</translation>
    </message>
    <message>
        <source>Jeton valable {days} jours, jusqu&apos;au {day}</source>
        <translation>Token valid {days} days, until {day}</translation>
    </message>
    <message>
        <source>Aucun jeton reçu sur l&apos;entrée standard</source>
        <translation>No token received on standard input</translation>
    </message>
    <message>
        <source>Jeton inconnu de ce service : rien n&apos;a été révoqué</source>
        <translation>Token unknown to this service: nothing was revoked</translation>
    </message>
    <message>
        <source>Jeton révoqué</source>
        <translation>Token revoked</translation>
    </message>
    <message>
        <source>{file} : Bundle FHIR de forme inattendue, non envoyé</source>
        <translation>{file}: FHIR Bundle of unexpected shape, not sent</translation>
    </message>
    <message>
        <source>Service injoignable à {url} : lancez « comptoir sandbox serve »</source>
        <translation>Service out of reach at {url}: start “comptoir sandbox serve”</translation>
    </message>
    <message>
        <source>ILLISIBLE : {error}</source>
        <translation>UNREADABLE: {error}</translation>
    </message>
    <message>
        <source>REFUSÉ : {error}</source>
        <translation>REFUSED: {error}</translation>
    </message>
    <message>
        <source>1 fichier non déposé</source>
        <translation>1 file not submitted</translation>
    </message>
    <message numerus="yes">
        <source>%n fichiers non déposés</source>
        <translation>
            <numerusform>%n file not submitted</numerusform>
            <numerusform>%n files not submitted</numerusform>
        </translation>
    </message>
    <message>
        <source>Comptoir {version} — autotest</source>
        <translation>Comptoir {version} — self-test</translation>
    </message>
    <message>
        <source>{status:&lt;6} {check} : {detail}</source>
        <translation>{status:&lt;6} {check}: {detail}</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>ÉCHEC</source>
        <translation>FAILED</translation>
    </message>
    <message>
        <source>ABSENT</source>
        <translation>ABSENT</translation>
    </message>
    <message>
        <source>Fenêtre principale</source>
        <translation>Main window</translation>
    </message>
    <message>
        <source>affichée en {shown} s</source>
        <translation>shown in {shown} s</translation>
    </message>
    <message>
        <source>Écrans du comptoir</source>
        <translation>Counter screens</translation>
    </message>
    <message>
        <source>prêts en {ready} s ({tabs})</source>
        <translation>ready in {ready} s ({tabs})</translation>
    </message>
    <message>
        <source>Base de données temporaire</source>
        <translation>Temporary database</translation>
    </message>
    <message>
        <source>créée et migrée (révision {revisions})</source>
        <translation>created and migrated (revision {revisions})</translation>
    </message>
    <message>
        <source>révision {revisions} au lieu de {heads}</source>
        <translation>revision {revisions} instead of {heads}</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>BDPM {release} chargée, {cip13} : {name}</source>
        <translation>BDPM {release} loaded, {cip13}: {name}</translation>
    </message>
    <message>
        <source>BDPM {release} chargée, mais {cip13} introuvable</source>
        <translation>BDPM {release} loaded, but {cip13} not found</translation>
    </message>
    <message>
        <source>QR code d&apos;ordonnance</source>
        <translation>Prescription QR code</translation>
    </message>
    <message>
        <source>{number} lu (zxing-cpp)</source>
        <translation>{number} read (zxing-cpp)</translation>
    </message>
    <message>
        <source>DataMatrix GS1 d&apos;une boîte</source>
        <translation>GS1 DataMatrix of a box</translation>
    </message>
    <message>
        <source>CIP13 {cip13}, péremption {expiry}, lot {lot}, série {serial}</source>
        <translation>CIP13 {cip13}, expiry {expiry}, lot {lot}, serial {serial}</translation>
    </message>
    <message>
        <source>lu « {got} » au lieu de « {expected} »</source>
        <translation>read “{got}” instead of “{expected}”</translation>
    </message>
    <message>
        <source>aucun code lu dans {image}</source>
        <translation>no code read in {image}</translation>
    </message>
    <message>
        <source>Second décodeur (pyzbar)</source>
        <translation>Second decoder (pyzbar)</translation>
    </message>
    <message>
        <source>QR code lu ({number})</source>
        <translation>QR code read ({number})</translation>
    </message>
    <message>
        <source>libzbar absente : seul zxing-cpp lit les codes</source>
        <translation>libzbar missing: only zxing-cpp reads codes</translation>
    </message>
    <message>
        <source>PDF des mentions</source>
        <translation>Mentions PDF</translation>
    </message>
    <message>
        <source>{pages} page {paper}, numéro {number} et pharmacie lus dans le PDF</source>
        <translation>{pages} page {paper}, number {number} and pharmacy read back from the PDF</translation>
    </message>
    <message>
        <source>le PDF ne contient pas « {missing} »</source>
        <translation>the PDF lacks “{missing}”</translation>
    </message>
    <message>
        <source>Autotest réussi : {passed} contrôles sur {total}</source>
        <translation>Self-test passed: {passed} checks of {total}</translation>
    </message>
    <message>
        <source>Autotest en échec : {failed} contrôle(s) sur {total}</source>
        <translation>Self-test failed: {failed} check(s) of {total}</translation>
    </message>
    <message>
        <source>erreur inattendue : {error}</source>
        <translation>unexpected error: {error}</translation>
    </message>
    <message>
        <source>fenêtre non affichée</source>
        <translation>window not shown</translation>
    </message>
    <message>
        <source>afficher le numéro de version et quitter</source>
        <translation>show the version number and exit</translation>
    </message>
    <message>
        <source>vérifier l&apos;installation (hors écran, sans réseau) puis quitter</source>
        <translation>check the installation (offscreen, without network), then exit</translation>
    </message>
    <message>
        <source>mise en service de la base de la pharmacie</source>
        <translation>setting up the pharmacy&apos;s database</translation>
    </message>
    <message>
        <source>migrer la base et créer le premier pharmacien titulaire (PIN saisi deux fois sans écho, ou lu sur l&apos;entrée standard)</source>
        <translation>migrate the database and create the first pharmacist-owner (PIN typed twice without echo, or read from standard input)</translation>
    </message>
    <message>
        <source>nom du pharmacien titulaire</source>
        <translation>name of the pharmacist-owner</translation>
    </message>
    <message>
        <source>son numéro RPPS (11 chiffres)</source>
        <translation>the owner&apos;s RPPS number (11 digits)</translation>
    </message>
    <message>
        <source>La pharmacie a déjà un pharmacien titulaire : rien n&apos;a été changé (ajoutez des utilisateurs avec comptoir users add --as ID)</source>
        <translation>The pharmacy already has a pharmacist-owner: nothing was changed (add users with comptoir users add --as ID)</translation>
    </message>
    <message>
        <source>PIN de {name} (4 à 12 chiffres) : </source>
        <translation>PIN of {name} (4 to 12 digits): </translation>
    </message>
    <message>
        <source>Base de données prête : {url} (schéma à jour).</source>
        <translation>Database ready: {url} (schema up to date).</translation>
    </message>
    <message>
        <source>Pharmacien titulaire n° {id} créé : {name} (RPPS {rpps}).</source>
        <translation>Pharmacist-owner no. {id} created: {name} (RPPS {rpps}).</translation>
    </message>
    <message>
        <source>La clé de la pharmacie (elle scelle l&apos;ordonnancier, le journal d&apos;audit et les comptes) est sur ce poste : copiez-la sur chaque autre poste (ici : comptoir ordonnancier key export ; là-bas : comptoir ordonnancier key import).</source>
        <translation>The pharmacy&apos;s key (it seals the register, the audit trail and the accounts) is on this workstation: copy it to every other workstation (here: comptoir ordonnancier key export; there: comptoir ordonnancier key import).</translation>
    </message>
    <message>
        <source>{quantity} boîtes</source>
        <translation>{quantity} boxes</translation>
    </message>
    <message>
        <source>{quantity} boîte</source>
        <translation>{quantity} box</translation>
    </message>
    <message>
        <source>Réglage {where} : valeur booléenne attendue, pas « {value} »</source>
        <translation>Setting {where}: true or false expected, not “{value}”</translation>
    </message>
    <message>
        <source>Réglage {where} : valeur invalide « {value} »</source>
        <translation>Setting {where}: invalid value “{value}”</translation>
    </message>
    <message>
        <source>Réglage inconnu : {setting} ({where})</source>
        <translation>Unknown setting: {setting} ({where})</translation>
    </message>
    <message>
        <source>Fichier de réglages illisible : {file} ({error})</source>
        <translation>Unreadable settings file: {file} ({error})</translation>
    </message>
    <message>
        <source>Section de réglages inconnue : [{section}] dans {file}</source>
        <translation>Unknown settings section: [{section}] in {file}</translation>
    </message>
    <message>
        <source>Fichier de réglages introuvable : {file}</source>
        <translation>Settings file not found: {file}</translation>
    </message>
    <message>
        <source>ligne de commande</source>
        <translation>command line</translation>
    </message>
    <message>
        <source>Réponse inattendue du service</source>
        <translation>Unexpected answer from the service</translation>
    </message>
    <message>
        <source>Service indisponible — la délivrance sera transmise plus tard</source>
        <translation>Service unavailable — the dispensing will be sent later</translation>
    </message>
    <message>
        <source>Réponse du service illisible</source>
        <translation>Unreadable answer from the service</translation>
    </message>
    <message>
        <source>Requête refusée par le service (données invalides)</source>
        <translation>Request refused by the service (invalid data)</translation>
    </message>
    <message>
        <source>Accès au service refusé : jeton absent ou invalide, vérifiez les réglages</source>
        <translation>Access to the service refused: token missing or invalid, check the settings</translation>
    </message>
    <message>
        <source>Opération non autorisée pour ce poste</source>
        <translation>Operation not allowed for this workstation</translation>
    </message>
    <message>
        <source>Ordonnance introuvable : vérifiez le numéro</source>
        <translation>Prescription not found: check the number</translation>
    </message>
    <message>
        <source>Ordonnance en cours de délivrance dans une autre pharmacie</source>
        <translation>Prescription being dispensed in another pharmacy</translation>
    </message>
    <message>
        <source>Ordonnance annulée ou expirée</source>
        <translation>Prescription cancelled or expired</translation>
    </message>
    <message>
        <source>Envoi trop volumineux pour le service</source>
        <translation>Submission too large for the service</translation>
    </message>
    <message>
        <source>Le service a refusé l&apos;opération (règle non respectée)</source>
        <translation>The service refused the operation (a rule was not met)</translation>
    </message>
    <message>
        <source>Code CIP13 invalide : « {text} » (13 chiffres attendus)</source>
        <translation>Invalid CIP13 code: “{text}” (13 digits expected)</translation>
    </message>
    <message>
        <source>Code CIP13 invalide : « {text} » (doit commencer par 3400)</source>
        <translation>Invalid CIP13 code: “{text}” (must start with 3400)</translation>
    </message>
    <message>
        <source>Code CIP13 invalide : « {text} » (clé de contrôle fausse)</source>
        <translation>Invalid CIP13 code: “{text}” (wrong check digit)</translation>
    </message>
    <message>
        <source>GTIN invalide : « {gtin} » (clé de contrôle fausse)</source>
        <translation>Invalid GTIN: “{gtin}” (wrong check digit)</translation>
    </message>
    <message>
        <source>GTIN « {gtin} » : indicateur logistique inattendu</source>
        <translation>GTIN “{gtin}”: unexpected packaging indicator</translation>
    </message>
    <message>
        <source>Code CIP7 invalide : « {text} » (7 chiffres attendus)</source>
        <translation>Invalid CIP7 code: “{text}” (7 digits expected)</translation>
    </message>
    <message>
        <source>Code CIS invalide : « {text} » (8 chiffres attendus)</source>
        <translation>Invalid CIS code: “{text}” (8 digits expected)</translation>
    </message>
    <message>
        <source>Numéro RPPS invalide : « {text} » (11 chiffres attendus)</source>
        <translation>Invalid RPPS number: “{text}” (11 digits expected)</translation>
    </message>
    <message>
        <source>Numéro RPPS invalide : « {text} » (clé de contrôle fausse)</source>
        <translation>Invalid RPPS number: “{text}” (wrong check digit)</translation>
    </message>
    <message>
        <source>Numéro FINESS invalide : « {text} » (9 caractères attendus)</source>
        <translation>Invalid FINESS number: “{text}” (9 characters expected)</translation>
    </message>
    <message>
        <source>Numéro FINESS invalide : « {text} » (clé de contrôle fausse)</source>
        <translation>Invalid FINESS number: “{text}” (wrong check digit)</translation>
    </message>
    <message>
        <source>NIR invalide (15 caractères attendus : 13 + clé)</source>
        <translation>Invalid NIR (15 characters expected: 13 + key)</translation>
    </message>
    <message>
        <source>NIR invalide (clé de contrôle fausse)</source>
        <translation>Invalid NIR (wrong key)</translation>
    </message>
    <message>
        <source>Numéro d&apos;ordonnance illisible</source>
        <translation>Unreadable prescription number</translation>
    </message>
    <message>
        <source>Numéro d&apos;ordonnance invalide : 8 à 40 lettres ou chiffres attendus</source>
        <translation>Invalid prescription number: 8 to 40 letters or digits expected</translation>
    </message>
    <message>
        <source>Numéro d&apos;ordonnance invalide : vérifiez la saisie (clé de contrôle fausse)</source>
        <translation>Invalid prescription number: check what was typed (wrong check character)</translation>
    </message>
    <message>
        <source>Rôle inconnu : « {text} » (attendu : {roles})</source>
        <translation>Unknown role: “{text}” (expected: {roles})</translation>
    </message>
    <message>
        <source>Nom refusé : indiquez le nom de la personne</source>
        <translation>Name refused: give the person&apos;s name</translation>
    </message>
    <message>
        <source>Nom refusé : 200 caractères au plus</source>
        <translation>Name refused: 200 characters at most</translation>
    </message>
    <message>
        <source>Un étudiant en pharmacie n&apos;a pas de numéro RPPS : ne l&apos;indiquez pas</source>
        <translation>A pharmacy student has no RPPS number: do not give one</translation>
    </message>
    <message>
        <source>PIN refusé : chiffres uniquement</source>
        <translation>PIN refused: digits only</translation>
    </message>
    <message>
        <source>PIN refusé : {least} à {most} chiffres</source>
        <translation>PIN refused: {least} to {most} digits</translation>
    </message>
    <message>
        <source>PIN refusé : trop facile à deviner (chiffres identiques ou qui se suivent)</source>
        <translation>PIN refused: too easy to guess (identical or consecutive digits)</translation>
    </message>
    <message>
        <source>dossier introuvable</source>
        <translation>folder not found</translation>
    </message>
    <message>
        <source>permission refusée</source>
        <translation>permission denied</translation>
    </message>
    <message>
        <source>système de fichiers en lecture seule</source>
        <translation>read-only file system</translation>
    </message>
    <message>
        <source>disque plein</source>
        <translation>disk full</translation>
    </message>
    <message>
        <source>un élément du chemin n&apos;est pas un dossier</source>
        <translation>a part of the path is not a folder</translation>
    </message>
    <message>
        <source>Base de données inaccessible : {url} ({reason})</source>
        <translation>Database out of reach: {url} ({reason})</translation>
    </message>
    <message>
        <source>adresse de base de données invalide</source>
        <translation>invalid database address</translation>
    </message>
    <message>
        <source>connexion impossible ou refusée</source>
        <translation>connection impossible or refused</translation>
    </message>
    <message>
        <source>accès refusé ou schéma illisible</source>
        <translation>access refused or unreadable schema</translation>
    </message>
    <message>
        <source>Base de données introuvable : {database} (vérifiez --db ou le réglage database.url)</source>
        <translation>Database not found: {database} (check --db or the setting database.url)</translation>
    </message>
    <message>
        <source>Utilisateur n° {id} inconnu (comptoir users list)</source>
        <translation>User no. {id} unknown (comptoir users list)</translation>
    </message>
    <message>
        <source>Utilisateur inconnu</source>
        <translation>Unknown user</translation>
    </message>
    <message>
        <source>Compte de {name} désactivé</source>
        <translation>Account of {name} disabled</translation>
    </message>
    <message>
        <source>Compte verrouillé après trop de PIN erronés : réessayez après {time}</source>
        <translation>Account locked after too many wrong PINs: try again after {time}</translation>
    </message>
    <message>
        <source>PIN incorrect : compte verrouillé jusqu&apos;à {time}</source>
        <translation>Wrong PIN: account locked until {time}</translation>
    </message>
    <message>
        <source>PIN incorrect ({left} essai(s) avant verrouillage)</source>
        <translation>Wrong PIN ({left} attempt(s) before locking)</translation>
    </message>
    <message>
        <source>Badge inconnu</source>
        <translation>Unknown badge</translation>
    </message>
    <message>
        <source>« %1 » : ligne %2 sur le service, non délivrable.</source>
        <translation>“%1”: line %2 on the service, cannot be dispensed.</translation>
    </message>
    <message>
        <source>« %1 » : introuvable dans la base des médicaments, recherchez le produit.</source>
        <translation>“%1”: not found in the drug database, search for the product.</translation>
    </message>
    <message>
        <source>Ligne %1 : prix inconnu du catalogue, hors de la facture (le prix de vente est saisi au comptoir).</source>
        <translation>Line %1: price unknown to the catalogue, left out of the bill (the selling price is typed at the counter).</translation>
    </message>
    <message>
        <source>Service indisponible : la réservation de l&apos;ordonnance sera refaite à l&apos;envoi.</source>
        <translation>Service unavailable: the prescription will be claimed again when the dispensing is sent.</translation>
    </message>
    <message>
        <source>Service d&apos;ordonnance numérique non configuré : rien ne peut être transmis.</source>
        <translation>E-prescription service not configured: nothing can be sent.</translation>
    </message>
    <message>
        <source>Service indisponible : la délivrance est enregistrée et sera transmise automatiquement.</source>
        <translation>Service unavailable: the dispensing is recorded and will be sent automatically.</translation>
    </message>
    <message>
        <source>Transmission refusée par le service : %1</source>
        <translation>Sending refused by the service: %1</translation>
    </message>
    <message>
        <source>Transmission abandonnée après %1 tentatives (dernière réponse : %2). Vérifiez le service, puis renvoyez la délivrance.</source>
        <translation>Sending given up after %1 attempts (last answer: %2). Check the service, then send the dispensing again.</translation>
    </message>
    <message>
        <source>Ordonnancier : l&apos;adresse du prescripteur manque (art. R.5132-10 CSP), complétez-la sur l&apos;ordonnance.</source>
        <translation>Controlled-substance register: the prescriber&apos;s address is missing (art. R.5132-10 CSP), complete it on the prescription.</translation>
    </message>
    <message>
        <source>Ordonnancier : l&apos;adresse du patient manque (art. R.5132-10 CSP), demandez-la au patient.</source>
        <translation>Controlled-substance register: the patient&apos;s address is missing (art. R.5132-10 CSP), ask the patient for it.</translation>
    </message>
    <message>
        <source>Ordonnance annulée par le prescripteur : rien ne peut être délivré.</source>
        <translation>Prescription cancelled by the prescriber: nothing can be dispensed.</translation>
    </message>
    <message>
        <source>Ordonnance expirée : rien ne peut être délivré.</source>
        <translation>Prescription expired: nothing can be dispensed.</translation>
    </message>
    <message>
        <source>Ordonnance expirée depuis le %1.</source>
        <translation>Prescription expired since %1.</translation>
    </message>
    <message>
        <source>Service d&apos;ordonnance numérique non configuré : renseignez son adresse et son jeton dans les réglages.</source>
        <translation>E-prescription service not configured: enter its address and token in the settings.</translation>
    </message>
    <message>
        <source>Personne n&apos;est connecté à ce poste : connectez-vous (Ctrl+U) pour agir.</source>
        <translation>Nobody is signed in at this workstation: sign in (Ctrl+U) to act.</translation>
    </message>
    <message>
        <source>Cette délivrance est déjà terminée.</source>
        <translation>This dispensing is already finished.</translation>
    </message>
    <message>
        <source>Ordonnance en préparation (%1) : reprenez-la au comptoir quand elle sera prête.</source>
        <translation>Prescription in preparation (%1): resume it at the counter when it is ready.</translation>
    </message>
    <message>
        <source>Ordonnance en préparation (%1 par %2) : reprenez-la au comptoir quand elle sera prête.</source>
        <translation>Prescription in preparation (%1 by %2): resume it at the counter when it is ready.</translation>
    </message>
    <message>
        <source>La facture est établie : enregistrez la délivrance plutôt que de l&apos;abandonner.</source>
        <translation>The bill is made: record the dispensing rather than abandon it.</translation>
    </message>
    <message>
        <source>La facture est déjà établie : la délivrance ne peut plus changer.</source>
        <translation>The invoice is already issued: the dispensing can no longer change.</translation>
    </message>
    <message>
        <source>Ligne {state} : plus de modification possible.</source>
        <translation>Line {state}: no more changes possible.</translation>
    </message>
    <message>
        <source>{product} n&apos;est pas le médicament prescrit ni un générique substituable. Indiquez le motif de l&apos;adaptation.</source>
        <translation>{product} is neither the prescribed medicine nor a substitutable generic. Give the reason for the adjustment.</translation>
    </message>
    <message>
        <source>Quantité : au moins une boîte (sinon, indiquez la ligne comme non délivrée).</source>
        <translation>Quantity: at least one box (otherwise, mark the line as not dispensed).</translation>
    </message>
    <message>
        <source>Quantité : 99 boîtes au plus par ligne.</source>
        <translation>Quantity: 99 boxes at most per line.</translation>
    </message>
    <message>
        <source>Choisissez d&apos;abord le produit de cette ligne.</source>
        <translation>First choose this line&apos;s product.</translation>
    </message>
    <message>
        <source>Quantité modifiée ({quantity} au lieu de {proposed}). Indiquez le motif de l&apos;adaptation.</source>
        <translation>Quantity changed ({quantity} instead of {proposed}). Give the reason for the adjustment.</translation>
    </message>
    <message>
        <source>{boxes} boîtes déjà scannées : retirez-en avant de réduire la quantité.</source>
        <translation>{boxes} boxes already scanned: take some back before lowering the quantity.</translation>
    </message>
    <message>
        <source>Posologie : indiquez la nouvelle posologie.</source>
        <translation>Dosage: enter the new dosage.</translation>
    </message>
    <message>
        <source>Prix : montant positif attendu.</source>
        <translation>Price: a positive amount is expected.</translation>
    </message>
    <message>
        <source>Cette boîte n&apos;est pas sur la ligne.</source>
        <translation>This box is not on the line.</translation>
    </message>
    <message>
        <source>Choisissez le produit et la quantité avant de valider la ligne.</source>
        <translation>Choose the product and the quantity before confirming the line.</translation>
    </message>
    <message>
        <source>{product} n&apos;est pas la spécialité prescrite : le refus du générique porte sur le produit prescrit.</source>
        <translation>{product} is not the prescribed speciality: the generic refusal applies to the prescribed product.</translation>
    </message>
    <message>
        <source>Aucun générique proposé pour cette ligne : il n&apos;y a rien à refuser.</source>
        <translation>No generic offered for this line: there is nothing to refuse.</translation>
    </message>
    <message>
        <source>Dispensation exceptionnelle : indiquez par quel moyen sécurisé et à quelle date le prescripteur est informé (art. L.5125-23-1 CSP).</source>
        <translation>Exceptional dispensing: state by which secure means and on which date the prescriber is informed (art. L.5125-23-1 CSP).</translation>
    </message>
    <message>
        <source>Indiquez la raison pour passer outre cet avertissement.</source>
        <translation>Give the reason for overriding this warning.</translation>
    </message>
    <message>
        <source>Facturez avant d&apos;enregistrer la délivrance.</source>
        <translation>Bill before recording the dispensing.</translation>
    </message>
    <message>
        <source>Aucune spécialité prescrite parmi les produits proposés pour cette ligne.</source>
        <translation>No prescribed speciality among the products offered for this line.</translation>
    </message>
    <message>
        <source>Délivrance déjà facturée : enregistrez-la au comptoir.</source>
        <translation>Dispensing already billed: record it at the counter.</translation>
    </message>
    <message>
        <source>Délivrance inconnue de la base : scannez l&apos;ordonnance de nouveau.</source>
        <translation>Dispensing unknown to the database: scan the prescription again.</translation>
    </message>
    <message>
        <source>Préparation déjà délivrée</source>
        <translation>Preparation already dispensed</translation>
    </message>
    <message>
        <source>en préparation</source>
        <translation>being prepared</translation>
    </message>
    <message>
        <source>à valider</source>
        <translation>to validate</translation>
    </message>
    <message>
        <source>prête</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>« %1 » : %2.</source>
        <translation>“%1”: %2.</translation>
    </message>
    <message>
        <source>« %1 » : %2</source>
        <translation>“%1”: %2</translation>
    </message>
    <message>
        <source>médicament à marge thérapeutique étroite</source>
        <translation>narrow therapeutic margin medicine</translation>
    </message>
    <message>
        <source>enfant de moins de 6 ans, pas de générique à forme adaptée</source>
        <translation>child under 6, no generic in a suitable form</translation>
    </message>
    <message>
        <source>contre-indication formelle à un excipient</source>
        <translation>formal contraindication to an excipient</translation>
    </message>
    <message>
        <source>Non substituable (%1 : %2)</source>
        <translation>Non-substitutable (%1: %2)</translation>
    </message>
    <message>
        <source>Non substituable sans justification (MTE, EFG ou CIF) : mention sans effet depuis le 1er janvier 2020, substitution possible</source>
        <translation>Non-substitutable without a justification (MTE, EFG or CIF): a mention without effect since 1 January 2020, substitution possible</translation>
    </message>
    <message>
        <source>Indiquez au préparateur ce qui est à reprendre.</source>
        <translation>Tell the preparer what needs to be redone.</translation>
    </message>
    <message>
        <source>Validation pharmaceutique en attente : un pharmacien doit valider la préparation avant l&apos;enregistrement.</source>
        <translation>Pharmaceutical validation pending: a pharmacist must validate the preparation before it is recorded.</translation>
    </message>
    <message>
        <source>La délivrance a changé depuis la validation pharmaceutique : faites-la valider de nouveau.</source>
        <translation>The dispensing changed since the pharmaceutical validation: have it validated again.</translation>
    </message>
    <message>
        <source>{product} n&apos;est pas le médicament prescrit ni un générique substituable : il faut l&apos;accord exprès et préalable du prescripteur (moyen, date et heure) ou un fondement légal (urgence, rupture d&apos;un médicament d&apos;intérêt thérapeutique majeur, biosimilaire), art. L.5125-23 CSP.</source>
        <translation>{product} is neither the prescribed medicine nor a substitutable generic: it needs the prescriber&apos;s express prior agreement (means, date and time) or a legal basis (emergency, shortage of a medicine of major therapeutic interest, biosimilar), art. L.5125-23 CSP.</translation>
    </message>
    <message>
        <source>Mise à jour BDPM {release} vérifiée en {seconds} s (pas encore appliquée)</source>
        <translation>BDPM update {release} checked in {seconds} s (not applied yet)</translation>
    </message>
    <message>
        <source>Catalogue BDPM {release} importé en {seconds} s</source>
        <translation>BDPM catalogue {release} imported in {seconds} s</translation>
    </message>
    <message>
        <source>Lignes lues : {counts}</source>
        <translation>Rows read: {counts}</translation>
    </message>
    <message>
        <source>Fichiers absents (données précédentes conservées) : {files}</source>
        <translation>Missing files (previous data kept): {files}</translation>
    </message>
    <message>
        <source>Lignes rejetées : {count}</source>
        <translation>Rows rejected: {count}</translation>
    </message>
    <message>
        <source>… et {count} autres</source>
        <translation>… and {count} more</translation>
    </message>
    <message>
        <source>Aucun changement : le catalogue était déjà à jour.</source>
        <translation>No change: the catalogue was already up to date.</translation>
    </message>
    <message>
        <source>Présentations ajoutées : {added}, retirées : {withdrawn}, modifiées : {changed} (dont {prices} changements de prix)</source>
        <translation>Packs added: {added}, withdrawn: {withdrawn}, changed: {changed} (of which {prices} price changes)</translation>
    </message>
    <message>
        <source>{title} ({count}) :</source>
        <translation>{title} ({count}):</translation>
    </message>
    <message>
        <source>Présentations ajoutées</source>
        <translation>Packs added</translation>
    </message>
    <message>
        <source>Présentations retirées</source>
        <translation>Packs withdrawn</translation>
    </message>
    <message>
        <source>Changements de prix ({count}) :</source>
        <translation>Price changes ({count}):</translation>
    </message>
    <message>
        <source>{count} clôture(s) du fichier d&apos;ancrage {file}</source>
        <translation>{count} closing(s) in the anchor file {file}</translation>
    </message>
    <message>
        <source>fichier d&apos;ancrage {file} absent (ce poste n&apos;a encore rien clôturé)</source>
        <translation>anchor file {file} absent (this workstation has closed nothing yet)</translation>
    </message>
    <message>
        <source>{count} clôture(s) journalière(s) dans la base</source>
        <translation>{count} daily closing(s) in the database</translation>
    </message>
    <message>
        <source>{count} écriture(s) de l&apos;export {file}</source>
        <translation>{count} entry(ies) of the export {file}</translation>
    </message>
    <message>
        <source>{count} délivrance(s) archivée(s)</source>
        <translation>{count} archived dispensing(s)</translation>
    </message>
    <message>
        <source>{count} délivrance(s) de la file d&apos;envoi</source>
        <translation>{count} dispensing(s) in the sending queue</translation>
    </message>
    <message>
        <source>« {medication} » : ligne arrêtée ou suspendue par le prescripteur, elle ne se poursuit pas.</source>
        <translation>“{medication}”: line stopped or suspended by the prescriber, it is not continued.</translation>
    </message>
    <message>
        <source>« {medication} » : l&apos;ordonnance n&apos;est pas expirée pour cette ligne, délivrez-la normalement.</source>
        <translation>“{medication}”: the prescription has not expired for this line, dispense it normally.</translation>
    </message>
    <message>
        <source>« {medication} » : aucun produit trouvé pour cette ligne, recherchez-le d&apos;abord.</source>
        <translation>“{medication}”: no product found for this line, search for it first.</translation>
    </message>
    <message>
        <source>« {medication} » : dispensation supplémentaire exceptionnelle impossible — {reason} (art. L.5125-23-1 CSP).</source>
        <translation>“{medication}”: exceptional supplementary dispensing impossible — {reason} (art. L.5125-23-1 CSP).</translation>
    </message>
</context>
<context>
    <name>AdjustmentDialog</name>
    <message>
        <source>Adaptation de la délivrance</source>
        <translation>Dispensing adjustment</translation>
    </message>
    <message>
        <source>— Choisissez le motif —</source>
        <translation>— Choose the reason —</translation>
    </message>
    <message>
        <source>Sans accord du prescripteur</source>
        <translation>Without the prescriber&apos;s agreement</translation>
    </message>
    <message>
        <source>Aucun (accord du prescripteur)</source>
        <translation>None (prescriber&apos;s agreement)</translation>
    </message>
    <message>
        <source>Commentaire (obligatoire pour « autre »)</source>
        <translation>Comment (required for “other”)</translation>
    </message>
    <message>
        <source>Valider</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Accord du prescripteur</source>
        <translation>Prescriber&apos;s agreement</translation>
    </message>
    <message>
        <source>Date de l&apos;accord</source>
        <translation>Date of agreement</translation>
    </message>
    <message>
        <source>Heure de l&apos;accord</source>
        <translation>Time of agreement</translation>
    </message>
    <message>
        <source>Fondement légal sans accord</source>
        <translation>Legal basis without agreement</translation>
    </message>
    <message>
        <source>Commentaire</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>Autre médicament que celui prescrit : accord exprès et préalable du prescripteur (moyen, date et heure) ou fondement légal obligatoire (art. L.5125-23 CSP).</source>
        <translation>Another medicine than the one prescribed: the prescriber&apos;s express prior agreement (means, date and time) or a legal basis is required (art. L.5125-23 CSP).</translation>
    </message>
    <message>
        <source>Choisissez un motif.</source>
        <translation>Choose a reason.</translation>
    </message>
    <message>
        <source>Motif « %1 » : précisez-le dans le commentaire.</source>
        <translation>Reason “%1”: explain it in the comment.</translation>
    </message>
    <message>
        <source>L&apos;accord ne peut pas être daté dans le futur.</source>
        <translation>The agreement cannot be dated in the future.</translation>
    </message>
    <message>
        <source>Refusé : « %1 » n&apos;est pas le médicament prescrit ni un générique substituable. Indiquez l&apos;accord exprès et préalable du prescripteur (moyen, date et heure) ou un fondement légal (art. L.5125-23 CSP).</source>
        <translation>Refused: “%1” is neither the medicine prescribed nor a substitutable generic. Give the prescriber&apos;s express prior agreement (means, date and time) or a legal basis (art. L.5125-23 CSP).</translation>
    </message>
</context>
<context>
    <name>BearerDialog</name>
    <message>
        <source>Porteur de l&apos;ordonnance</source>
        <translation>Bearer of the prescription</translation>
    </message>
    <message>
        <source>%1 : stupéfiant ou assimilé. Si le porteur n&apos;est pas le patient, son identité est enregistrée (art. R.5132-35 CSP).</source>
        <translation>%1: narcotic or under the narcotic rules. When the bearer is not the patient, their identity is recorded (art. R.5132-35 CSP).</translation>
    </message>
    <message>
        <source>Le patient vient lui-même</source>
        <translation>The patient comes in person</translation>
    </message>
    <message>
        <source>Valider</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Nom et prénom du porteur</source>
        <translation>Bearer&apos;s full name</translation>
    </message>
    <message>
        <source>Adresse du porteur</source>
        <translation>Bearer&apos;s address</translation>
    </message>
    <message>
        <source>Pièce d&apos;identité</source>
        <translation>Identity document</translation>
    </message>
    <message>
        <source>Numéro de la pièce</source>
        <translation>Document number</translation>
    </message>
    <message>
        <source>Porteur de l&apos;ordonnance : numéro de pièce d&apos;identité invalide (4 à 30 lettres ou chiffres).</source>
        <translation>Bearer of the prescription: invalid identity document number (4 to 30 letters or digits).</translation>
    </message>
    <message>
        <source>Porteur de l&apos;ordonnance : indiquez le nom, l&apos;adresse et la pièce d&apos;identité (art. R.5132-35 CSP).</source>
        <translation>Bearer of the prescription: give the name, the address and the identity document (art. R.5132-35 CSP).</translation>
    </message>
</context>
<context>
    <name>BillingPage</name>
    <message>
        <source>Produit ou honoraire</source>
        <translation>Product or fee</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Boîtes</source>
        <translation>Boxes</translation>
    </message>
    <message>
        <source>Prix unitaire</source>
        <translation>Unit price</translation>
    </message>
    <message>
        <source>Taux</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Part AMO</source>
        <translation>AMO share</translation>
    </message>
    <message>
        <source>Part AMC</source>
        <translation>AMC share</translation>
    </message>
    <message>
        <source>Part patient</source>
        <translation>Patient share</translation>
    </message>
    <message>
        <source>Imprimer sur l&apos;ordonnance papier</source>
        <translation>Print on the paper prescription</translation>
    </message>
    <message>
        <source>Enregistrer et imprimer (F10)</source>
        <translation>Record and print (F10)</translation>
    </message>
    <message>
        <source>Ordonnance suivante (F12)</source>
        <translation>Next prescription (F12)</translation>
    </message>
    <message>
        <source>Retour (Échap)</source>
        <translation>Back (Esc)</translation>
    </message>
    <message>
        <source>Revenir à la délivrance : la facture reste celle établie.</source>
        <translation>Back to the dispensing: the invoice stays as issued.</translation>
    </message>
    <message>
        <source>Facture n° %1</source>
        <translation>Invoice no. %1</translation>
    </message>
    <message>
        <source>tiers payant</source>
        <translation>third-party payment</translation>
    </message>
    <message>
        <source>sans tiers payant</source>
        <translation>no third-party payment</translation>
    </message>
    <message>
        <source>Total %1 — part AMO %2 — part AMC %6 — part patient %3 — à payer : %4 (%5)</source>
        <translation>Total %1 — AMO share %2 — AMC share %6 — patient share %3 — to pay: %4 (%5)</translation>
    </message>
    <message>
        <source>Franchise médicale : non due (%1).</source>
        <translation>Medical deductible: not due (%1).</translation>
    </message>
    <message>
        <source>Franchise médicale : %1 (%2 boîte(s)), retenue plus tard par l&apos;Assurance Maladie, pas payée ici.</source>
        <translation>Medical deductible: %1 (%2 box(es)), withheld later by the health insurance, not paid here.</translation>
    </message>
    <message>
        <source>Enregistrement de la délivrance…</source>
        <translation>Recording the delivery…</translation>
    </message>
    <message>
        <source>Délivrance enregistrée et transmise au service.</source>
        <translation>Delivery recorded and sent to the service.</translation>
    </message>
    <message>
        <source>Transmission différée : la délivrance est enregistrée et sera transmise dès que le service répondra.</source>
        <translation>Deferred transmission: the delivery is recorded and will be sent as soon as the service answers.</translation>
    </message>
    <message>
        <source>Impression…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Ordonnance annotée : %1</source>
        <translation>Annotated prescription: %1</translation>
    </message>
</context>
<context>
    <name>CatalogueSearch</name>
    <message>
        <source>Nom, CIP13, CIP7 ou CIS…</source>
        <translation>Name, CIP13, CIP7 or CIS…</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Conditionnement</source>
        <translation>Pack</translation>
    </message>
    <message>
        <source>CIP13</source>
        <translation>CIP13</translation>
    </message>
    <message>
        <source>Prix</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>Taux</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Conditions</translation>
    </message>
    <message>
        <source>Sélectionnez une présentation pour voir son groupe générique.</source>
        <translation>Select a presentation to see its generic group.</translation>
    </message>
    <message>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Spécialité</source>
        <translation>Speciality</translation>
    </message>
    <message>
        <source>CIS</source>
        <translation>CIS</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>Délivrer ce produit pour la ligne choisie au comptoir</source>
        <translation>Dispense this product for the line chosen at the counter</translation>
    </message>
    <message>
        <source>Princeps</source>
        <translation>Originator</translation>
    </message>
    <message>
        <source>Générique</source>
        <translation>Generic</translation>
    </message>
    <message>
        <source>Complémentarité posologique</source>
        <translation>Posology complement</translation>
    </message>
    <message>
        <source>Substituable</source>
        <translation>Substitutable</translation>
    </message>
    <message>
        <source>Recherche…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Aucune présentation trouvée.</source>
        <translation>No presentation found.</translation>
    </message>
    <message numerus="yes">
        <source>%n présentation(s)</source>
        <translation>
            <numerusform>%n presentation</numerusform>
            <numerusform>%n presentations</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 n&apos;appartient à aucun groupe générique.</source>
        <translation>%1 belongs to no generic group.</translation>
    </message>
    <message>
        <source>Groupe générique : %1</source>
        <translation>Generic group: %1</translation>
    </message>
</context>
<context>
    <name>CatalogueUpdateBar</name>
    <message>
        <source>Mettre à jour le catalogue</source>
        <translation>Update the catalogue</translation>
    </message>
    <message>
        <source>Plus tard</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>Le catalogue des médicaments (BDPM %1) est d&apos;une date inconnue : mettez-le à jour.</source>
        <translation>The drug catalogue (BDPM %1) is of an unknown date: update it.</translation>
    </message>
    <message>
        <source>Le catalogue des médicaments (BDPM %1) a %2 jours : les prix et les présentations ont pu changer.</source>
        <translation>The drug catalogue (BDPM %1) is %2 days old: prices and packs may have changed.</translation>
    </message>
    <message>
        <source>Téléchargement du catalogue…</source>
        <translation>Downloading the catalogue…</translation>
    </message>
    <message>
        <source>Vérification de la nouvelle version…</source>
        <translation>Checking the new release…</translation>
    </message>
    <message>
        <source>Mise à jour reportée : le catalogue n&apos;a pas été modifié.</source>
        <translation>Update postponed: the catalogue was not changed.</translation>
    </message>
    <message>
        <source>Mise à jour du catalogue…</source>
        <translation>Updating the catalogue…</translation>
    </message>
    <message>
        <source>Le catalogue était déjà à jour (BDPM %1).</source>
        <translation>The catalogue was already up to date (BDPM %1).</translation>
    </message>
    <message>
        <source>Catalogue mis à jour : BDPM %1.</source>
        <translation>Catalogue updated: BDPM %1.</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Réessayer</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Mise à jour du catalogue</source>
        <translation>Catalogue update</translation>
    </message>
    <message>
        <source>Appliquer cette mise à jour du catalogue ?</source>
        <translation>Apply this catalogue update?</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <source>Facturation</source>
        <translation>Billing</translation>
    </message>
    <message>
        <source>Enregistrer et imprimer</source>
        <translation>Record and print</translation>
    </message>
    <message>
        <source>Ordonnance suivante</source>
        <translation>Next prescription</translation>
    </message>
    <message>
        <source>Une autre ordonnance a été scannée : terminez ou abandonnez d&apos;abord celle-ci.</source>
        <translation>Another prescription was scanned: finish or abandon this one first.</translation>
    </message>
    <message>
        <source>Enregistrez d&apos;abord la délivrance en cours.</source>
        <translation>Record the current delivery first.</translation>
    </message>
    <message>
        <source>Boîte scannée : scannez d&apos;abord l&apos;ordonnance.</source>
        <translation>Box scanned: scan the prescription first.</translation>
    </message>
    <message>
        <source>✔ Boîte acceptée pour « %1 » (%2 / %3).</source>
        <translation>✔ Box accepted for “%1” (%2 / %3).</translation>
    </message>
    <message>
        <source>✖ Refusée — %1</source>
        <translation>✖ Refused — %1</translation>
    </message>
    <message>
        <source>Recherche de l&apos;ordonnance %1…</source>
        <translation>Looking up prescription %1…</translation>
    </message>
    <message>
        <source>L&apos;ordonnance n&apos;a pas pu être récupérée : le service d&apos;ordonnance numérique ne répond pas. Rien n&apos;a été délivré. Vérifiez la connexion, puis réessayez (F5).</source>
        <translation>The prescription could not be fetched: the e-prescription service does not answer. Nothing was dispensed. Check the connection, then retry (F5).</translation>
    </message>
    <message>
        <source>Reprise de la délivrance…</source>
        <translation>Resuming the delivery…</translation>
    </message>
    <message>
        <source>Scannez les boîtes : chaque boîte coche sa ligne.</source>
        <translation>Scan the boxes: each box ticks its line.</translation>
    </message>
    <message numerus="yes">
        <source>%n boîte(s) scannée(s)</source>
        <translation>
            <numerusform>%n scanned box</numerusform>
            <numerusform>%n scanned boxes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n adaptation(s) de ligne</source>
        <translation>
            <numerusform>%n line adjustment</numerusform>
            <numerusform>%n line adjustments</numerusform>
        </translation>
    </message>
    <message>
        <source>Abandonner la délivrance</source>
        <translation>Abandon the dispensing</translation>
    </message>
    <message>
        <source>Abandonner cette délivrance ? Seront perdues : %1.</source>
        <translation>Abandon this dispensing? These will be lost: %1.</translation>
    </message>
    <message>
        <source> et </source>
        <translation> and </translation>
    </message>
    <message>
        <source>Abandonner</source>
        <translation>Abandon</translation>
    </message>
    <message>
        <source>Continuer la délivrance</source>
        <translation>Go on dispensing</translation>
    </message>
    <message>
        <source>Facture établie : la délivrance ne peut plus changer. F9 revient à la facture.</source>
        <translation>Invoice issued: the dispensing can no longer change. F9 returns to the invoice.</translation>
    </message>
    <message>
        <source>%1 produit(s) ajouté(s) à la liste : choisissez-le dans « Produit ».</source>
        <translation>%1 product(s) added to the list: choose it under “Product”.</translation>
    </message>
    <message>
        <source>Aucun produit trouvé pour « %1 ».</source>
        <translation>No product found for “%1”.</translation>
    </message>
</context>
<context>
    <name>DispensingPage</name>
    <message>
        <source>Valider sans scanner</source>
        <translation>Confirm without scanning</translation>
    </message>
    <message>
        <source>Ne pas délivrer…</source>
        <translation>Do not dispense…</translation>
    </message>
    <message>
        <source>Modifier la posologie… (F7)</source>
        <translation>Change the dosage… (F7)</translation>
    </message>
    <message>
        <source>Autre produit : nom ou CIP13, puis Entrée</source>
        <translation>Other product: name or CIP13, then Enter</translation>
    </message>
    <message>
        <source>Fixer le prix</source>
        <translation>Set the price</translation>
    </message>
    <message>
        <source>Retirer la dernière boîte</source>
        <translation>Take back the last box</translation>
    </message>
    <message>
        <source>Mettre en attente</source>
        <translation>Set aside</translation>
    </message>
    <message>
        <source>Refus du générique</source>
        <translation>Generic refused</translation>
    </message>
    <message>
        <source>Le patient refuse le générique : le princeps est délivré, sans tiers payant pour cette ligne (art. L.162-16-7 CSS)</source>
        <translation>The patient refuses the generic: the originator is handed over, without third-party payment for this line (art. L.162-16-7 CSS)</translation>
    </message>
    <message>
        <source>Dispensation exceptionnelle (art. L.5125-23-1)</source>
        <translation>Exceptional dispensing (art. L.5125-23-1)</translation>
    </message>
    <message>
        <source>Ordonnance expirée d&apos;un traitement chronique : un mois de plus (trois au plus), ou des mois de contraceptif oral ; le prescripteur est informé</source>
        <translation>Expired prescription of a chronic treatment: one more month (three at most), or months of an oral contraceptive; the prescriber is informed</translation>
    </message>
    <message>
        <source>Scannez les boîtes : chaque boîte coche sa ligne.</source>
        <translation>Scan the boxes: each box ticks its line.</translation>
    </message>
    <message>
        <source>Passer outre l&apos;avertissement…</source>
        <translation>Override the warning…</translation>
    </message>
    <message>
        <source>Tiers payant</source>
        <translation>Third-party payment</translation>
    </message>
    <message>
        <source>aucune</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Part de la complémentaire santé (AMC), en pourcentage de ce que l&apos;Assurance Maladie laisse au patient</source>
        <translation>Complementary health insurance share, as a percentage of what the compulsory insurance leaves to the patient</translation>
    </message>
    <message>
        <source>Facturer (F9)</source>
        <translation>Bill (F9)</translation>
    </message>
    <message>
        <source>Abandonner</source>
        <translation>Abandon</translation>
    </message>
    <message>
        <source>Prix</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>Complémentaire</source>
        <translation>Complementary</translation>
    </message>
    <message>
        <source>Délivrance</source>
        <translation>Dispensing</translation>
    </message>
    <message>
        <source>Ligne précédente / suivante (↑ ↓)</source>
        <translation>Previous / next line (↑ ↓)</translation>
    </message>
    <message>
        <source>Modifier la posologie de la ligne</source>
        <translation>Change the line&apos;s dosage</translation>
    </message>
    <message>
        <source>Facturer</source>
        <translation>Bill</translation>
    </message>
    <message>
        <source>Changer la quantité de la ligne</source>
        <translation>Change the line&apos;s quantity</translation>
    </message>
    <message>
        <source>Valider la ligne sans scanner</source>
        <translation>Confirm the line without scanning</translation>
    </message>
    <message>
        <source>Ne pas délivrer la ligne</source>
        <translation>Do not dispense the line</translation>
    </message>
    <message>
        <source>Retirer la dernière boîte scannée</source>
        <translation>Take back the last scanned box</translation>
    </message>
    <message>
        <source>Mettre en attente / reprendre la ligne</source>
        <translation>Set the line aside / take it up again</translation>
    </message>
    <message>
        <source>Passer outre l&apos;avertissement</source>
        <translation>Override the warning</translation>
    </message>
    <message>
        <source>Tiers payant oui / non</source>
        <translation>Third-party payment on / off</translation>
    </message>
    <message>
        <source>Le patient refuse le générique : princeps délivré</source>
        <translation>The patient refuses the generic: princeps handed over</translation>
    </message>
    <message>
        <source>Dispensation exceptionnelle d&apos;une ordonnance expirée</source>
        <translation>Exceptional dispensing of an expired prescription</translation>
    </message>
    <message>
        <source>Abandonner la délivrance</source>
        <translation>Abandon the dispensing</translation>
    </message>
    <message>
        <source>Chercher un autre produit</source>
        <translation>Search another product</translation>
    </message>
    <message>
        <source>Choisir le produit de la ligne</source>
        <translation>Choose the line&apos;s product</translation>
    </message>
    <message>
        <source>outrepassé : %1</source>
        <translation>overridden: %1</translation>
    </message>
    <message>
        <source>Reprendre la ligne</source>
        <translation>Take the line up again</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Erreur inattendue</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>Le rapport détaillé est dans le journal : %1.</source>
        <translation>The detailed report is in the log: %1.</translation>
    </message>
    <message>
        <source>Le journal n&apos;a pas pu être écrit : copiez le rapport ci-dessous.</source>
        <translation>The log could not be written: copy the report below.</translation>
    </message>
    <message>
        <source>Une erreur inattendue est survenue (%1). C&apos;est un défaut du logiciel, pas une erreur de votre part : l&apos;opération en cours n&apos;a peut-être pas abouti, vérifiez-la avant de continuer.</source>
        <translation>An unexpected error occurred (%1). It is a defect of the software, not a mistake of yours: the operation in progress may not have completed, check it before going on.</translation>
    </message>
    <message>
        <source>Pour le signaler, copiez le rapport et transmettez-le au support : il ne contient aucune donnée de patient.</source>
        <translation>To report it, copy the report and send it to support: it contains no patient data.</translation>
    </message>
    <message>
        <source>Copier le rapport</source>
        <translation>Copy the report</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <source>Cette erreur s&apos;est reproduite %n fois.</source>
        <translation>
            <numerusform>This error happened again %n time.</numerusform>
            <numerusform>This error happened again %n times.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Autres erreurs depuis : %n (voir le rapport et le journal).</source>
        <translation>
            <numerusform>Other errors since: %n (see the report and the log).</numerusform>
            <numerusform>Other errors since: %n (see the report and the log).</numerusform>
        </translation>
    </message>
    <message>
        <source>Rapport copié</source>
        <translation>Report copied</translation>
    </message>
</context>
<context>
    <name>ExceptionalDialog</name>
    <message>
        <source>Dispensation exceptionnelle (art. L.5125-23-1)</source>
        <translation>Exceptional dispensing (art. L.5125-23-1)</translation>
    </message>
    <message>
        <source>« %1 » : ordonnance expirée. Dispensation supplémentaire exceptionnelle pour éviter une interruption du traitement, dans la posologie prescrite ; le prescripteur en est informé par un moyen sécurisé.</source>
        <translation>“%1”: prescription expired. Exceptional supplementary dispensing to avoid interrupting the treatment, within the prescribed posology; the prescriber is informed by a secure means.</translation>
    </message>
    <message>
        <source>(aucun motif en vigueur)</source>
        <translation>(no reason in force)</translation>
    </message>
    <message>
        <source>— Choisissez le moyen —</source>
        <translation>— Choose the means —</translation>
    </message>
    <message>
        <source>Délivrer</source>
        <translation>Dispense</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Prescripteur informé par</source>
        <translation>Prescriber informed by</translation>
    </message>
    <message>
        <source>Date de l&apos;information</source>
        <translation>Date informed</translation>
    </message>
    <message>
        <source>Aucun motif de dispensation exceptionnelle en vigueur.</source>
        <translation>No reason for an exceptional dispensing is in force.</translation>
    </message>
    <message>
        <source>Indiquez par quel moyen le prescripteur est informé.</source>
        <translation>Say by which means the prescriber is informed.</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>N° d&apos;ordonnance</source>
        <translation>Prescription no.</translation>
    </message>
    <message>
        <source>Nom du patient</source>
        <translation>Patient&apos;s name</translation>
    </message>
    <message>
        <source>N° de série ou lot d&apos;une boîte</source>
        <translation>A box&apos;s serial or batch number</translation>
    </message>
    <message>
        <source>Rappel de lot : les délivrances où une boîte de ce numéro de série ou de ce lot a été remise</source>
        <translation>Batch recall: the deliveries where a box of this serial or batch number was handed over</translation>
    </message>
    <message>
        <source>Le</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Rechercher</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Prescripteur</source>
        <translation>Prescriber</translation>
    </message>
    <message>
        <source>Lignes délivrées</source>
        <translation>Lines dispensed</translation>
    </message>
    <message>
        <source>N° d&apos;ordonnancier</source>
        <translation>Register no.</translation>
    </message>
    <message>
        <source>Sélectionnez une délivrance pour voir ce qui a été remis.</source>
        <translation>Select a dispensing to see what was handed over.</translation>
    </message>
    <message>
        <source>Ligne prescrite</source>
        <translation>Prescribed line</translation>
    </message>
    <message>
        <source>Délivré</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <source>Qté</source>
        <translation>Qty</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Réimprimer les mentions</source>
        <translation>Reprint the notes</translation>
    </message>
    <message>
        <source>Copie patient (A4)</source>
        <translation>Patient copy (A4)</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Motif de l&apos;échec</source>
        <translation>Why it failed</translation>
    </message>
    <message>
        <source>Réimprimer le document</source>
        <translation>Reprint the document</translation>
    </message>
    <message>
        <source>Historique</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Rechercher (dans un champ de recherche)</source>
        <translation>Search (in a search field)</translation>
    </message>
    <message>
        <source>Imprimer la copie patient</source>
        <translation>Print the patient&apos;s copy</translation>
    </message>
    <message>
        <source>Réimprimer le document en échec</source>
        <translation>Reprint the failed document</translation>
    </message>
    <message>
        <source>Impressions en échec</source>
        <translation>Failed prints</translation>
    </message>
    <message>
        <source>Recherche…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Aucune délivrance trouvée.</source>
        <translation>No dispensing found.</translation>
    </message>
    <message numerus="yes">
        <source>%n délivrance(s)</source>
        <translation>
            <numerusform>%n dispensing</numerusform>
            <numerusform>%n dispensings</numerusform>
        </translation>
    </message>
    <message>
        <source>✖ non transmise (mise de côté)</source>
        <translation>✖ not sent (put aside)</translation>
    </message>
    <message>
        <source>◷ non transmise</source>
        <translation>◷ not sent</translation>
    </message>
    <message>
        <source>✔ transmise</source>
        <translation>✔ sent</translation>
    </message>
    <message>
        <source>Ordonnance n° %1 du %2 — délivrée le %3 par %4
Patient : %5 — prescripteur : %6</source>
        <translation>Prescription no. %1 of %2 — dispensed on %3 by %4
Patient: %5 — prescriber: %6</translation>
    </message>
    <message>
        <source>Choisissez d&apos;abord une délivrance.</source>
        <translation>Choose a dispensing first.</translation>
    </message>
    <message>
        <source>Préparation du document…</source>
        <translation>Preparing the document…</translation>
    </message>
    <message>
        <source>Impression de %1…</source>
        <translation>Printing %1…</translation>
    </message>
    <message>
        <source>Impression annulée : le PDF est conservé (%1).</source>
        <translation>Printing cancelled: the PDF is kept (%1).</translation>
    </message>
    <message>
        <source>Réimprimé (%1 page(s)) : %2</source>
        <translation>Reprinted (%1 page(s)): %2</translation>
    </message>
</context>
<context>
    <name>InPreparationPage</name>
    <message>
        <source>Reprendre la main au comptoir…</source>
        <translation>Take it back at the counter…</translation>
    </message>
    <message>
        <source>Ouvrir dans la file pour la validation</source>
        <translation>Open in the queue for validation</translation>
    </message>
    <message>
        <source>Retour</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Revenir à l&apos;attente</source>
        <translation>Back to waiting</translation>
    </message>
    <message>
        <source>Ordonnance n° %1 — %2 : dans la file de préparation</source>
        <translation>Prescription no. %1 — %2: in the preparation queue</translation>
    </message>
    <message>
        <source>Note du comptoir : %1</source>
        <translation>Note from the counter: %1</translation>
    </message>
    <message>
        <source>Envoyée en préparation par %1 à %2 ; personne ne la prépare encore.</source>
        <translation>Sent to preparation by %1 at %2; nobody is preparing it yet.</translation>
    </message>
    <message>
        <source>En cours de préparation par %1 depuis %2 (envoyée par %3 à %4).</source>
        <translation>Being prepared by %1 since %2 (sent by %3 at %4).</translation>
    </message>
    <message>
        <source>Préparée par %1, prête depuis %2 : en attente de la validation pharmaceutique.</source>
        <translation>Prepared by %1, ready since %2: waiting for the pharmaceutical validation.</translation>
    </message>
</context>
<context>
    <name>KeyMapDialog</name>
    <message>
        <source>Raccourcis clavier (F1)</source>
        <translation>Keyboard shortcuts (F1)</translation>
    </message>
    <message>
        <source>Écran</source>
        <translation>Screen</translation>
    </message>
    <message>
        <source>Touche</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>LineBar</name>
    <message>
        <source>Changer la quantité</source>
        <translation>Change quantity</translation>
    </message>
    <message>
        <source>Produit</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>Boîtes</source>
        <translation>Boxes</translation>
    </message>
</context>
<context>
    <name>LineChanges</name>
    <message>
        <source>%1 n&apos;est pas le médicament prescrit ni un générique substituable.</source>
        <translation>%1 is neither the prescribed medicine nor a substitutable generic.</translation>
    </message>
    <message>
        <source>Quantité modifiée (%1 au lieu de %2).</source>
        <translation>Quantity changed (%1 instead of %2).</translation>
    </message>
    <message>
        <source>Posologie de « %1 » modifiée : %2</source>
        <translation>Dosage of “%1” changed: %2</translation>
    </message>
    <message>
        <source>« %1 » ne sera pas délivrée.</source>
        <translation>“%1” will not be dispensed.</translation>
    </message>
    <message>
        <source>Passer outre</source>
        <translation>Override</translation>
    </message>
    <message>
        <source>%1
Raison (enregistrée) :</source>
        <translation>%1
Reason (recorded):</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Comptoir — %1</source>
        <translation>Comptoir — %1</translation>
    </message>
    <message>
        <source>Ouverture de la base de données…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <source>Partout</source>
        <translation>Everywhere</translation>
    </message>
    <message>
        <source>Raccourcis clavier (cette liste)</source>
        <translation>Keyboard shortcuts (this list)</translation>
    </message>
    <message>
        <source>Comptoir</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>Historique</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Préparation</source>
        <translation>Preparation</translation>
    </message>
    <message>
        <source>Comptoir (F2)</source>
        <translation>Counter (F2)</translation>
    </message>
    <message>
        <source>Préparation (F11)</source>
        <translation>Preparation (F11)</translation>
    </message>
    <message>
        <source>Catalogue (F3)</source>
        <translation>Catalogue (F3)</translation>
    </message>
    <message>
        <source>Historique (F4)</source>
        <translation>History (F4)</translation>
    </message>
    <message>
        <source>Ouvrez une ordonnance et choisissez sa ligne pour délivrer ce produit.</source>
        <translation>Open a prescription and select its line to dispense this product.</translation>
    </message>
    <message>
        <source>Le comptoir ne peut pas démarrer :
%1</source>
        <translation>The counter cannot start:
%1</translation>
    </message>
</context>
<context>
    <name>OutboxPanel</name>
    <message>
        <source>Délivrances non transmises au service</source>
        <translation>Deliveries not sent to the service</translation>
    </message>
    <message>
        <source>N° d&apos;ordonnance</source>
        <translation>Prescription no.</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Depuis</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Dernière erreur</source>
        <translation>Last error</translation>
    </message>
    <message>
        <source>Renvoyer</source>
        <translation>Send again</translation>
    </message>
    <message>
        <source>Renvoyer la délivrance non transmise</source>
        <translation>Send the unsent delivery again</translation>
    </message>
    <message>
        <source>Envoi de la délivrance %1…</source>
        <translation>Sending delivery %1…</translation>
    </message>
    <message>
        <source>Délivrance %1 transmise au service.</source>
        <translation>Delivery %1 sent to the service.</translation>
    </message>
    <message>
        <source>Délivrance %1 non transmise : %2</source>
        <translation>Delivery %1 not sent: %2</translation>
    </message>
</context>
<context>
    <name>PosologyDialog</name>
    <message>
        <source>Modifier la posologie</source>
        <translation>Change the dosage</translation>
    </message>
    <message>
        <source>(non précisée)</source>
        <translation>(not stated)</translation>
    </message>
    <message>
        <source>Suivant…</source>
        <translation>Next…</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Prescrite</source>
        <translation>Prescribed</translation>
    </message>
    <message>
        <source>Nouvelle posologie</source>
        <translation>New dosage</translation>
    </message>
    <message>
        <source>Indiquez la nouvelle posologie.</source>
        <translation>Enter the new dosage.</translation>
    </message>
    <message>
        <source>La posologie n&apos;a pas changé.</source>
        <translation>The dosage has not changed.</translation>
    </message>
</context>
<context>
    <name>PreparationScreen</name>
    <message>
        <source>Urgence</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <source>Ordonnance</source>
        <translation>Prescription</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Envoyée par</source>
        <translation>Sent by</translation>
    </message>
    <message>
        <source>Depuis</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Préparateur</source>
        <translation>Preparer</translation>
    </message>
    <message>
        <source>Prendre en préparation</source>
        <translation>Take for preparation</translation>
    </message>
    <message>
        <source>Validation pharmaceutique…</source>
        <translation>Pharmaceutical validation…</translation>
    </message>
    <message>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Reprendre au comptoir</source>
        <translation>Take back at the counter</translation>
    </message>
    <message>
        <source>Prescrit</source>
        <translation>Prescribed</translation>
    </message>
    <message>
        <source>Produit</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>Boîtes</source>
        <translation>Boxes</translation>
    </message>
    <message>
        <source>Ligne préparée sans scan</source>
        <translation>Line prepared without scanning</translation>
    </message>
    <message>
        <source>Ne pas délivrer…</source>
        <translation>Do not dispense…</translation>
    </message>
    <message>
        <source>Marquer prête</source>
        <translation>Mark ready</translation>
    </message>
    <message>
        <source>Aucune préparation ouverte</source>
        <translation>No preparation open</translation>
    </message>
    <message>
        <source>File de préparation</source>
        <translation>Preparation queue</translation>
    </message>
    <message>
        <source>URGENT</source>
        <translation>URGENT</translation>
    </message>
    <message>
        <source>en attente</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>en préparation</source>
        <translation>being prepared</translation>
    </message>
    <message>
        <source>à valider</source>
        <translation>to validate</translation>
    </message>
    <message>
        <source>prête</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>délivrée</source>
        <translation>handed over</translation>
    </message>
    <message>
        <source>annulée</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>Connectez-vous d&apos;abord (Ctrl+U).</source>
        <translation>Sign in first (Ctrl+U).</translation>
    </message>
    <message>
        <source>Préparation de l&apos;ordonnance %1 — %2</source>
        <translation>Preparing prescription %1 — %2</translation>
    </message>
    <message>
        <source>Note du comptoir : %1</source>
        <translation>Note from the counter: %1</translation>
    </message>
    <message>
        <source>Renvoyée par le pharmacien : %1</source>
        <translation>Sent back by the pharmacist: %1</translation>
    </message>
    <message>
        <source>Choisissez la ligne préparée.</source>
        <translation>Choose the line prepared.</translation>
    </message>
    <message>
        <source>Prenez une ordonnance en préparation avant de scanner ses boîtes.</source>
        <translation>Take a prescription for preparation before scanning its boxes.</translation>
    </message>
</context>
<context>
    <name>PrescriptionPanel</name>
    <message>
        <source>Ordonnance</source>
        <translation>Prescription</translation>
    </message>
    <message>
        <source>Prescripteur</source>
        <translation>Prescriber</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>Préparation des lignes… vous pouvez déjà scanner les boîtes.</source>
        <translation>Preparing the lines… you may scan the boxes already.</translation>
    </message>
</context>
<context>
    <name>QueueAtCounter</name>
    <message>
        <source>%1 prépare cette ordonnance. Reprendre la main au comptoir ? Sa préparation s&apos;arrête ; ce qui est préparé est gardé dans la délivrance.</source>
        <translation>%1 is preparing this prescription. Take it back at the counter? The preparation stops; what was prepared is kept in the dispensing.</translation>
    </message>
    <message>
        <source>Reprendre la main au comptoir ? L&apos;ordonnance sort de la file de préparation.</source>
        <translation>Take it back at the counter? The prescription leaves the preparation queue.</translation>
    </message>
    <message>
        <source>Reprendre la main</source>
        <translation>Take it back</translation>
    </message>
    <message>
        <source>Laisser en préparation</source>
        <translation>Leave in preparation</translation>
    </message>
</context>
<context>
    <name>RecordAndPrint</name>
    <message>
        <source>Impression annulée : le PDF est conservé (%1).</source>
        <translation>Printing cancelled: the PDF is kept (%1).</translation>
    </message>
    <message>
        <source>Ordonnance annotée imprimée (%1 page(s)) : %2</source>
        <translation>Annotated prescription printed (%1 page(s)): %2</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Connexion</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Session verrouillée : reconnectez-vous ou changez d&apos;utilisateur.</source>
        <translation>Session locked: sign in again or switch user.</translation>
    </message>
    <message>
        <source>Choisissez votre nom, puis tapez votre PIN ou scannez votre badge.</source>
        <translation>Choose your name, then type your PIN or scan your badge.</translation>
    </message>
    <message>
        <source>PIN ou badge</source>
        <translation>PIN or badge</translation>
    </message>
    <message>
        <source>Se connecter</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Utilisateur</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Aucun utilisateur : créez le pharmacien titulaire (comptoir server init).</source>
        <translation>No user: create the owner pharmacist (comptoir server init).</translation>
    </message>
    <message>
        <source>Tapez votre PIN ou scannez votre badge.</source>
        <translation>Type your PIN or scan your badge.</translation>
    </message>
    <message>
        <source>Choisissez votre nom dans la liste.</source>
        <translation>Choose your name in the list.</translation>
    </message>
    <message>
        <source>Vérification…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Une erreur inattendue est survenue ; l&apos;opération n&apos;a pas abouti (détails dans le journal).</source>
        <translation>An unexpected error occurred; the operation did not complete (details in the log).</translation>
    </message>
</context>
<context>
    <name>ValidationDialog</name>
    <message>
        <source>Validation pharmaceutique</source>
        <translation>Pharmaceutical validation</translation>
    </message>
    <message>
        <source>Ordonnance %1 — %2, préparée par %3</source>
        <translation>Prescription %1 — %2, prepared by %3</translation>
    </message>
    <message>
        <source>aucun produit</source>
        <translation>no product</translation>
    </message>
    <message>
        <source>%1 → %2 × %3 (%4)</source>
        <translation>%1 → %2 × %3 (%4)</translation>
    </message>
    <message>
        <source>Aucun point particulier : contrôle de l&apos;ordonnance et de la préparation.</source>
        <translation>Nothing in particular: check the prescription and the preparation.</translation>
    </message>
    <message>
        <source>Commentaire de validation (obligatoire pour renvoyer en préparation)</source>
        <translation>Validation comment (required to send back to preparation)</translation>
    </message>
    <message>
        <source>Valider</source>
        <translation>Validate</translation>
    </message>
    <message>
        <source>Renvoyer en préparation</source>
        <translation>Send back to preparation</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Lignes préparées</source>
        <translation>Lines prepared</translation>
    </message>
    <message>
        <source>Points à contrôler</source>
        <translation>Points to check</translation>
    </message>
    <message>
        <source>Indiquez au préparateur ce qui est à reprendre.</source>
        <translation>Tell the preparer what to redo.</translation>
    </message>
</context>
<context>
    <name>WaitingPage</name>
    <message>
        <source>Scannez le QR code de l&apos;ordonnance numérique ou saisissez son numéro</source>
        <translation>Scan the e-prescription&apos;s QR code or type its number</translation>
    </message>
    <message>
        <source>Numéro d&apos;ordonnance</source>
        <translation>Prescription number</translation>
    </message>
    <message>
        <source>Rechercher (Entrée)</source>
        <translation>Search (Enter)</translation>
    </message>
    <message>
        <source>Réessayer (F5)</source>
        <translation>Retry (F5)</translation>
    </message>
    <message>
        <source>Pas de caméra configurée : utilisez la douchette ou le clavier.</source>
        <translation>No camera configured: use the barcode scanner or the keyboard.</translation>
    </message>
    <message>
        <source>Douchette : scannez le QR code, la saisie se fait seule. Clavier : tapez le numéro (espaces permis) puis Entrée. F1 : tous les raccourcis.</source>
        <translation>Scanner: scan the QR code, it is typed in for you. Keyboard: type the number (spaces allowed), then Enter. F1: every shortcut.</translation>
    </message>
    <message>
        <source>Reprendre</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Abandonner</source>
        <translation>Abandon</translation>
    </message>
    <message>
        <source>Délivrances en cours, à reprendre :</source>
        <translation>Deliveries in progress, to resume:</translation>
    </message>
    <message>
        <source>Attente</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Rechercher le numéro saisi</source>
        <translation>Search the typed number</translation>
    </message>
    <message>
        <source>Réessayer après un service injoignable</source>
        <translation>Retry after an unreachable service</translation>
    </message>
    <message>
        <source>Reprendre la délivrance choisie</source>
        <translation>Resume the chosen dispensing</translation>
    </message>
    <message>
        <source>Abandonner la délivrance choisie</source>
        <translation>Abandon the chosen dispensing</translation>
    </message>
    <message>
        <source>Saisissez le numéro de l&apos;ordonnance.</source>
        <translation>Type the prescription number.</translation>
    </message>
    <message>
        <source>commencée le %1</source>
        <translation>started on %1</translation>
    </message>
    <message>
        <source>facturée, à enregistrer</source>
        <translation>billed, to record</translation>
    </message>
    <message>
        <source>en cours de délivrance</source>
        <translation>being dispensed</translation>
    </message>
</context>
<context>
    <name>WedgeFilter</name>
    <message>
        <source>Scanner (clavier) : une lecture a échoué ; scannez à nouveau (détails dans le journal)</source>
        <translation>Scanner (keyboard): a scan failed; scan again (details in the log)</translation>
    </message>
</context>
<context>
    <name>WindowTeam</name>
    <message>
        <source>Personne n&apos;est connecté</source>
        <translation>Nobody signed in</translation>
    </message>
    <message>
        <source>Changer d&apos;utilisateur (Ctrl+U)</source>
        <translation>Switch user (Ctrl+U)</translation>
    </message>
    <message>
        <source>Session verrouillée</source>
        <translation>Session locked</translation>
    </message>
    <message>
        <source>Connecté : %1 (%2)</source>
        <translation>Signed in: %1 (%2)</translation>
    </message>
    <message>
        <source>Ouvrez une ordonnance pour l&apos;envoyer en préparation.</source>
        <translation>Open a prescription to send it to preparation.</translation>
    </message>
    <message>
        <source>Ordonnance %1 envoyée en préparation</source>
        <translation>Prescription %1 sent to preparation</translation>
    </message>
    <message>
        <source>Préparation prête : %1</source>
        <translation>Preparation ready: %1</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>Premier démarrage</source>
        <translation>First start</translation>
    </message>
    <message>
        <source>Import du catalogue des médicaments…</source>
        <translation>Importing the drug catalogue…</translation>
    </message>
</context>
</TS>
