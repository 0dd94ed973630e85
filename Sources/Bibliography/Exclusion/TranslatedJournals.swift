/// Cover-to-cover English translations of journals first published in another language (mostly
/// Russian, translated by Pleiades and published by Springer). Their records are tagged English,
/// so the language field cannot find them; their ISSNs and titles can. The original-language
/// version may be indexed too, which is why a translation counts as a duplicate publication.
///
/// Curated by hand — extend it per study in `study.yaml` (`bibliography.translations`), and
/// please send additions upstream. DOI prefix 10.1134 (Pleiades) is only a hint: Pleiades also
/// publishes original English papers.
public enum TranslatedJournals {
    public struct Journal: Hashable, Sendable {
        public var title: String
        public var issns: [String]
        public var original: String
    }

    public static let list: [Journal] = [
        Journal(title: "Physics of the Solid State", issns: ["1063-7834", "1090-6460"], original: "Fizika Tverdogo Tela"),
        Journal(title: "Semiconductors", issns: ["1063-7826", "1090-6479"], original: "Fizika i Tekhnika Poluprovodnikov"),
        Journal(title: "Technical Physics", issns: ["1063-7842", "1090-6525"], original: "Zhurnal Tekhnicheskoi Fiziki"),
        Journal(title: "Technical Physics Letters", issns: ["1063-7850", "1090-6533"], original: "Pis'ma v Zhurnal Tekhnicheskoi Fiziki"),
        Journal(title: "Crystallography Reports", issns: ["1063-7745", "1562-689X"], original: "Kristallografiya"),
        Journal(title: "JETP Letters", issns: ["0021-3640", "1090-6487"], original: "Pis'ma v Zhurnal Eksperimental'noi i Teoreticheskoi Fiziki"),
        Journal(title: "Journal of Experimental and Theoretical Physics", issns: ["1063-7761", "1090-6509"], original: "Zhurnal Eksperimental'noi i Teoreticheskoi Fiziki"),
        Journal(title: "Physics of Metals and Metallography", issns: ["0031-918X", "1555-6190"], original: "Fizika Metallov i Metallovedenie"),
        Journal(title: "Inorganic Materials", issns: ["0020-1685", "1608-3172"], original: "Neorganicheskie Materialy"),
        Journal(title: "Russian Journal of Inorganic Chemistry", issns: ["0036-0236", "1531-8613"], original: "Zhurnal Neorganicheskoi Khimii"),
        Journal(title: "Doklady Physics", issns: ["1028-3358", "1562-6903"], original: "Doklady Akademii Nauk"),
        Journal(title: "Bulletin of the Russian Academy of Sciences: Physics", issns: ["1062-8738", "1934-9432"], original: "Izvestiya Rossiiskoi Akademii Nauk, Seriya Fizicheskaya"),
        Journal(title: "Journal of Surface Investigation: X-ray, Synchrotron and Neutron Techniques", issns: ["1027-4510", "1819-7094"], original: "Poverkhnost'"),
        Journal(title: "Russian Metallurgy (Metally)", issns: ["0036-0295", "1555-6255"], original: "Metally"),
        Journal(title: "Colloid Journal", issns: ["1061-933X", "1608-3067"], original: "Kolloidnyi Zhurnal"),
        Journal(title: "Optics and Spectroscopy", issns: ["0030-400X", "1562-6911"], original: "Optika i Spektroskopiya"),
        Journal(title: "Glass Physics and Chemistry", issns: ["1087-6596", "1608-313X"], original: "Fizika i Khimiya Stekla"),
        Journal(title: "Physics-Uspekhi", issns: ["1063-7869", "1468-4780"], original: "Uspekhi Fizicheskikh Nauk"),
        Journal(title: "Protection of Metals and Physical Chemistry of Surfaces", issns: ["2070-2051", "2070-206X"], original: "Fizikokhimiya Poverkhnosti i Zashchita Materialov"),
        // Chemistry: where the users of a chemistry institute's microscopes publish (the paper's
        // facility is one). Mendeleev Communications is *not* here: it is published in English.
        Journal(title: "Russian Chemical Bulletin", issns: ["1066-5285", "1573-9171"], original: "Izvestiya Akademii Nauk, Seriya Khimicheskaya"),
        Journal(title: "Russian Journal of Organic Chemistry", issns: ["1070-4280", "1608-3393"], original: "Zhurnal Organicheskoi Khimii"),
        Journal(title: "Russian Journal of General Chemistry", issns: ["1070-3632", "1608-3350"], original: "Zhurnal Obshchei Khimii"),
        Journal(title: "Kinetics and Catalysis", issns: ["0023-1584", "1608-3210"], original: "Kinetika i Kataliz"),
        Journal(title: "Russian Journal of Physical Chemistry A", issns: ["0036-0244", "1531-863X"], original: "Zhurnal Fizicheskoi Khimii"),
        Journal(title: "Russian Journal of Physical Chemistry B", issns: ["1990-7931", "1990-7923"], original: "Khimicheskaya Fizika"),
        Journal(title: "Russian Journal of Applied Chemistry", issns: ["1070-4272", "1608-3296"], original: "Zhurnal Prikladnoi Khimii"),
        Journal(title: "Russian Journal of Coordination Chemistry", issns: ["1070-3284", "1608-3318"], original: "Koordinatsionnaya Khimiya"),
        Journal(title: "Russian Journal of Electrochemistry", issns: ["1023-1935", "1608-3342"], original: "Elektrokhimiya"),
        Journal(title: "Journal of Structural Chemistry", issns: ["0022-4766", "1573-8779"], original: "Zhurnal Strukturnoi Khimii"),
        Journal(title: "Doklady Chemistry", issns: ["0012-5008", "1608-3113"], original: "Doklady Akademii Nauk"),
        Journal(title: "Petroleum Chemistry", issns: ["0965-5441", "1555-6239"], original: "Neftekhimiya"),
        Journal(title: "Russian Chemical Reviews", issns: ["0036-021X", "1468-4837"], original: "Uspekhi Khimii"),
    ]

    /// The DOI prefix that suggests (never proves) a Pleiades translation.
    public static let hintDOIPrefix = "10.1134/"
}
