; Hunanwerthuso | Self-evaluation: the Windows per-user installer (no administrator rights).
; A pynsist template (Jinja, with square-bracket tags), rendered by pynsist in
; installers/build-windows.sh, then compiled by makensis. Written for this app.
;
; - installs into %LOCALAPPDATA%\Programs\Hunanwerthuso for the current user only;
; - Start-menu shortcut, `selfeval` on the user's PATH, an uninstaller in "Apps";
; - Welsh and English pages, chosen at start (the Windows language is preselected);
; - opens .selfeval-bundle files with `selfeval bundle import`;
; - never touches the user's data folder: uninstalling keeps the school's data.

!define PRODUCT_NAME "[[ib.appname]]"
!define PRODUCT_VERSION "[[ib.version]]"
!define INSTALLER_NAME "[[ib.installer_name]]"
!define PRODUCT_ICON "[[icon]]"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT_NAME}"
!define BUNDLE_EXT ".selfeval-bundle"
!define BUNDLE_PROGID "Hunanwerthuso.Bundle"
!define SHORTCUT_NAME "Hunanwerthuso - Self-evaluation"

; 64-bit stub: the app is 64-bit only, and Wine without 32-bit support can run it (smoke test).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
Name "Hunanwerthuso | Self-evaluation ${PRODUCT_VERSION}"
OutFile "${INSTALLER_NAME}"
ShowInstDetails show
ShowUninstDetails show

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ABORTWARNING
!define MUI_ICON "${PRODUCT_ICON}"
!define MUI_UNICON "${PRODUCT_ICON}"
; Remember the language chosen, for the uninstaller.
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "Software\${PRODUCT_NAME}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchApp

!insertmacro MUI_PAGE_WELCOME
[% if license_file %]
!insertmacro MUI_PAGE_LICENSE "[[license_file]]"
[% endif %]
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default for a silent install.
!insertmacro MUI_LANGUAGE "Welsh"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString BundleType ${LANG_WELSH} "Bwndel Hunanwerthuso"
LangString BundleType ${LANG_ENGLISH} "Hunanwerthuso | Self-evaluation bundle"
LangString ShortcutComment ${LANG_WELSH} "Hunanwerthuso a chynllunio datblygiad yr ysgol"
LangString ShortcutComment ${LANG_ENGLISH} "School self-evaluation and development planning"
LangString Compiling ${LANG_WELSH} "Yn paratoi modiwlau Python..."
LangString Compiling ${LANG_ENGLISH} "Preparing Python modules..."
LangString AddingPath ${LANG_WELSH} "Yn ychwanegu'r gorchymyn selfeval..."
LangString AddingPath ${LANG_ENGLISH} "Adding the selfeval command..."
LangString DataKept ${LANG_WELSH} "Nid yw data'r ysgol wedi'i ddileu: mae'n aros yn eich ffolder data."
LangString DataKept ${LANG_ENGLISH} "The school's data has not been deleted: it stays in your data folder."

Section "!Hunanwerthuso" sec_app
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${PRODUCT_ICON}"

  ; An upgrade replaces the packages whole, so no file of an older version is left behind.
  RMDir /r "$INSTDIR\pkgs"
  SetOutPath "$INSTDIR\pkgs"
  File /r "pkgs\*.*"

  [% for destination, group in grouped_files %]
  SetOutPath "[[destination]]"
  [% for file in group %]
  File "[[ file ]]"
  [% endfor %]
  [% endfor %]

  [% for dir, destination in ib.install_dirs %]
  SetOutPath "[[ pjoin(destination, dir) ]]"
  File /r "[[dir]]\*.*"
  [% endfor %]

  ; Shortcuts start in the user's documents folder.
  SetOutPath "$DOCUMENTS"
  [% for scname, sc in ib.shortcuts.items() %]
  CreateShortCut "$SMPROGRAMS\${SHORTCUT_NAME}.lnk" "[[ sc['target'] ]]" \
    '[[ sc['parameters'] ]]' "$INSTDIR\${PRODUCT_ICON}" 0 SW_SHOWNORMAL "" "$(ShortcutComment)"
  [% endfor %]
  SetOutPath "$INSTDIR"

  [% if has_commands %]
  DetailPrint "$(AddingPath)"
  nsExec::ExecToLog '[[ python ]] -Es "$INSTDIR\_system_path.py" add_user "$INSTDIR\bin"'
  [% endif %]

  DetailPrint "$(Compiling)"
  nsExec::ExecToLog '[[ python ]] -m compileall -q "$INSTDIR\pkgs"'

  ; Bundles open with `selfeval bundle import` (for this user only).
  WriteRegStr HKCU "Software\Classes\${BUNDLE_EXT}" "" "${BUNDLE_PROGID}"
  WriteRegStr HKCU "Software\Classes\${BUNDLE_PROGID}" "" "$(BundleType)"
  WriteRegStr HKCU "Software\Classes\${BUNDLE_PROGID}\DefaultIcon" "" "$INSTDIR\${PRODUCT_ICON},0"
  WriteRegStr HKCU "Software\Classes\${BUNDLE_PROGID}\shell\open\command" "" \
    '"$INSTDIR\bin\selfeval.exe" bundle import "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Hunanwerthuso | Self-evaluation"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${PRODUCT_VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_ICON}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  [% if ib.publisher is not none %]
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "[[ib.publisher]]"
  [% endif %]
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  [% if has_commands %]
  nsExec::ExecToLog '[[ python ]] -Es "$INSTDIR\_system_path.py" remove "$INSTDIR\bin"'
  [% endif %]
  Delete "$SMPROGRAMS\${SHORTCUT_NAME}.lnk"
  DeleteRegKey HKCU "Software\Classes\${BUNDLE_PROGID}"
  ReadRegStr $0 HKCU "Software\Classes\${BUNDLE_EXT}" ""
  StrCmp $0 "${BUNDLE_PROGID}" 0 +2
    DeleteRegKey HKCU "Software\Classes\${BUNDLE_EXT}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  RMDir /r "$INSTDIR\pkgs"
  [% for file, destination in ib.install_files %]
  Delete "[[ pjoin(destination, file) ]]"
  [% endfor %]
  [% for dir, destination in ib.install_dirs %]
  RMDir /r "[[ pjoin(destination, dir) ]]"
  [% endfor %]
  Delete "$INSTDIR\${PRODUCT_ICON}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${PRODUCT_NAME}"
  DetailPrint "$(DataKept)"
SectionEnd

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Function LaunchApp
  [% for scname, sc in ib.shortcuts.items() %]
  Exec '"[[ sc['target'] ]]" [[ sc['parameters'] ]]'
  [% endfor %]
FunctionEnd
