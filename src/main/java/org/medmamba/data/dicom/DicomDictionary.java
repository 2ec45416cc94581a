package org.medmamba.data.dicom;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The few tags this reader uses, with their VRs (implicit VR files do not carry them) and
 * keywords (for labelling datasets by tag). Unknown tags read as UN: raw bytes.
 */
public final class DicomDictionary {
    private static final Map<Integer, String> VR = new HashMap<>();
    private static final Map<String, Integer> KEYWORD = new HashMap<>();

    public static final int TRANSFER_SYNTAX_UID = 0x00020010, MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    public static final int MODALITY = 0x00080060, SERIES_INSTANCE_UID = 0x0020000E, NUMBER_OF_FRAMES = 0x00280008;
    public static final int SAMPLES_PER_PIXEL = 0x00280002, PHOTOMETRIC = 0x00280004, PLANAR_CONFIGURATION = 0x00280006;
    public static final int ROWS = 0x00280010, COLUMNS = 0x00280011, BITS_ALLOCATED = 0x00280100, BITS_STORED = 0x00280101;
    public static final int HIGH_BIT = 0x00280102, PIXEL_REPRESENTATION = 0x00280103;
    public static final int WINDOW_CENTER = 0x00281050, WINDOW_WIDTH = 0x00281051;
    public static final int RESCALE_INTERCEPT = 0x00281052, RESCALE_SLOPE = 0x00281053;
    public static final int RED_DESCRIPTOR = 0x00281101, GREEN_DESCRIPTOR = 0x00281102, BLUE_DESCRIPTOR = 0x00281103;
    public static final int RED_DATA = 0x00281201, GREEN_DATA = 0x00281202, BLUE_DATA = 0x00281203;
    public static final int PIXEL_DATA = 0x7FE00010, DIRECTORY_RECORDS = 0x00041220;
    public static final int SPECIFIC_CHARACTER_SET = 0x00080005, SOP_CLASS_UID = 0x00080016, SOP_INSTANCE_UID = 0x00080018;
    public static final int STUDY_INSTANCE_UID = 0x0020000D, PATIENT_NAME = 0x00100010, PATIENT_ID = 0x00100020;
    /** Patient and study identification a derived object copies from its source (PS3.3 C.7.1.1, C.7.2.1), with their VRs. */
    public static final java.util.List<Integer> PATIENT_STUDY_IDENTIFICATION = java.util.List.of(
            0x00080020, 0x00080030, 0x00080050, 0x00080090, PATIENT_NAME, PATIENT_ID, 0x00100030, 0x00100040, 0x00200010);

    static {
        def(0x00020000, "UL", "FileMetaInformationGroupLength");
        def(0x00020001, "OB", "FileMetaInformationVersion");
        def(MEDIA_STORAGE_SOP_CLASS_UID, "UI", "MediaStorageSOPClassUID");
        def(0x00020003, "UI", "MediaStorageSOPInstanceUID");
        def(TRANSFER_SYNTAX_UID, "UI", "TransferSyntaxUID");
        def(0x00080008, "CS", "ImageType");
        def(SPECIFIC_CHARACTER_SET, "CS", "SpecificCharacterSet");
        def(0x00080016, "UI", "SOPClassUID");
        def(0x00080018, "UI", "SOPInstanceUID");
        def(0x00080020, "DA", "StudyDate");
        def(0x00080030, "TM", "StudyTime");
        def(0x00080050, "SH", "AccessionNumber");
        def(MODALITY, "CS", "Modality");
        def(0x00080070, "LO", "Manufacturer");
        def(0x00080080, "LO", "InstitutionName");
        def(0x00080090, "PN", "ReferringPhysicianName");
        def(0x00081030, "LO", "StudyDescription");
        def(0x0008103E, "LO", "SeriesDescription");
        def(PATIENT_NAME, "PN", "PatientName");
        def(0x00100020, "LO", "PatientID");
        def(0x00100030, "DA", "PatientBirthDate");
        def(0x00100040, "CS", "PatientSex");
        def(0x00180015, "CS", "BodyPartExamined");
        def(0x00180050, "DS", "SliceThickness");
        def(0x00181030, "LO", "ProtocolName");
        def(0x00185101, "CS", "ViewPosition");
        def(0x0020000D, "UI", "StudyInstanceUID");
        def(SERIES_INSTANCE_UID, "UI", "SeriesInstanceUID");
        def(0x00200010, "SH", "StudyID");
        def(0x00200011, "IS", "SeriesNumber");
        def(0x00200013, "IS", "InstanceNumber");
        def(0x00200060, "CS", "Laterality");
        def(0x00200062, "CS", "ImageLaterality");
        def(SAMPLES_PER_PIXEL, "US", "SamplesPerPixel");
        def(PHOTOMETRIC, "CS", "PhotometricInterpretation");
        def(PLANAR_CONFIGURATION, "US", "PlanarConfiguration");
        def(NUMBER_OF_FRAMES, "IS", "NumberOfFrames");
        def(ROWS, "US", "Rows");
        def(COLUMNS, "US", "Columns");
        def(BITS_ALLOCATED, "US", "BitsAllocated");
        def(BITS_STORED, "US", "BitsStored");
        def(HIGH_BIT, "US", "HighBit");
        def(PIXEL_REPRESENTATION, "US", "PixelRepresentation");
        def(WINDOW_CENTER, "DS", "WindowCenter");
        def(WINDOW_WIDTH, "DS", "WindowWidth");
        def(RESCALE_INTERCEPT, "DS", "RescaleIntercept");
        def(RESCALE_SLOPE, "DS", "RescaleSlope");
        def(RED_DESCRIPTOR, "US", "RedPaletteColorLookupTableDescriptor");
        def(GREEN_DESCRIPTOR, "US", "GreenPaletteColorLookupTableDescriptor");
        def(BLUE_DESCRIPTOR, "US", "BluePaletteColorLookupTableDescriptor");
        def(RED_DATA, "OW", "RedPaletteColorLookupTableData");
        def(GREEN_DATA, "OW", "GreenPaletteColorLookupTableData");
        def(BLUE_DATA, "OW", "BluePaletteColorLookupTableData");
        def(DIRECTORY_RECORDS, "SQ", "DirectoryRecordSequence");
        def(0x00089215, "SQ", "DerivationCodeSequence");
        def(0x52009229, "SQ", "SharedFunctionalGroupsSequence");
        def(0x52009230, "SQ", "PerFrameFunctionalGroupsSequence");
        def(0x00540220, "SQ", "ViewCodeSequence");
        def(0x00082112, "SQ", "SourceImageSequence");
        def(0x00081140, "SQ", "ReferencedImageSequence");
        def(0x00880200, "SQ", "IconImageSequence");
        def(PIXEL_DATA, "OW", "PixelData");
    }

    private DicomDictionary() {}

    private static void def(int tag, String vr, String keyword) {
        VR.put(tag, vr);
        KEYWORD.put(keyword.toLowerCase(Locale.ROOT), tag);
    }

    /** The dictionary VR of a tag, null when this dictionary does not know it. */
    public static String knownVr(int tag) {
        return VR.get(tag);
    }

    /** The VR of a tag for implicit VR files: group lengths are UL, unknown tags UN. */
    public static String vr(int tag) {
        if ((tag & 0xffff) == 0) return "UL";
        return VR.getOrDefault(tag, "UN");
    }

    /** A tag from a keyword (any case) or "GGGG,EEEE" hex (brackets optional); -1 when neither. */
    public static int parseTag(String spec) {
        String s = spec.strip().replace("(", "").replace(")", "");
        if (s.matches("[0-9A-Fa-f]{4},[0-9A-Fa-f]{4}")) return (Integer.parseInt(s.substring(0, 4), 16) << 16) | Integer.parseInt(s.substring(5), 16);
        if (s.matches("[0-9A-Fa-f]{8}")) return (int) Long.parseLong(s, 16);
        return KEYWORD.getOrDefault(s.toLowerCase(Locale.ROOT), -1);
    }
}
