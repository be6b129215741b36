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
        <source>⛔ mise de côté</source>
        <translation>⛔ put aside</translation>
    </message>
    <message numerus="yes">
        <source>⏳ non transmise (%n tentative(s))</source>
        <translation>
            <numerusform>⏳ not sent (%n attempt)</numerusform>
            <numerusform>⏳ not sent (%n attempts)</numerusform>
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
        <source>annulée</source>
        <translation>cancelled</translation>
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
        <source>⛔ Refusée — %1</source>
        <translation>⛔ Refused — %1</translation>
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
        <source>Changer la quantité</source>
        <translation>Change quantity</translation>
    </message>
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
        <source>Produit</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>Boîtes</source>
        <translation>Boxes</translation>
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
        <source>⛔ non transmise (mise de côté)</source>
        <translation>⛔ not sent (put aside)</translation>
    </message>
    <message>
        <source>⏳ non transmise</source>
        <translation>⏳ not sent</translation>
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
        <source>Quantité…</source>
        <translation>Quantity…</translation>
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
        <source>Quantité</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>Nombre de boîtes :</source>
        <translation>Number of boxes:</translation>
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
